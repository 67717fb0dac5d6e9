package org.rdbss4j.core;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RxFinalizeXxx routines (RDBSS.md section 5.7): two-phase finalization of each node type.
 * Phase 1 (UpperFinalizationDone) unlinks the node and removes its name, once; phase 2 frees it
 * when its reference count allows.
 *
 * <p>Locks: SRV_CALL, NET_ROOT and V_NET_ROOT need the prefix table exclusive; an FCB needs its FCB
 * table exclusive and its resource; SRV_OPEN and FOBX need the FCB resource, and the FCB table
 * exclusive when their finalization may reach the FCB.
 */
final class Finalization {
  private static final Logger LOG = LoggerFactory.getLogger(Finalization.class);

  private final Redirector rdr;

  Finalization(Redirector rdr) {
    this.rdr = rdr;
  }

  /** RxFinalizeNetFobx. */
  boolean finalizeNetFobx(Fobx fobx, boolean recursive, boolean force) {
    SrvOpen srvOpen = fobx.srvOpen;
    requireHeld(srvOpen.fcb.resource, "FCB");
    if (fobx.refCount != 0 && !force) {
      return false;
    }
    if (!fobx.upperFinalizationDone) {
      fobx.upperFinalizationDone = true;
      synchronized (srvOpen.fobxs) {
        srvOpen.fobxs.remove(fobx);
      }
      srvOpen.miniRdr().deallocateForFobx(fobx);
      if (srvOpen.openCount == 0 && !srvOpen.hasFlag(SrvOpen.FLAG_CLOSED)) {
        closeSrvOpen(srvOpen);
        fobx.flags |= Fobx.FLAG_SRVOPEN_CLOSED;
      }
    }
    if (fobx.refCount != 0) {
      return false;
    }
    fobx.freed = true;
    if ((fobx.flags & Fobx.FLAG_ENCLOSED_ALLOCATED) != 0) {
      srvOpen.embeddedFobxUsed = false;
    }
    srvOpen.vNetRoot.numberOfFobxs.decrementAndGet();
    rdr.live.remove(fobx);
    rdr.refs.dereference(srvOpen, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    return true;
  }

  /** MRxCloseSrvOpen, bounded by the flush timeout; failures are logged, the handle is gone. */
  void closeSrvOpen(SrvOpen srvOpen) {
    srvOpen.setFlag(SrvOpen.FLAG_CLOSED);
    if (srvOpen.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)) {
      srvOpen.clearFlag(SrvOpen.FLAG_CLOSE_DELAYED);
      srvOpen.vNetRoot.netRoot.srvCall.numberOfCloseDelayedFiles.decrementAndGet();
    }
    if (srvOpen.condition() != Condition.GOOD) {
      return;
    }
    try {
      srvOpen
          .miniRdr()
          .closeSrvOpen(srvOpen)
          .get(rdr.config().flushTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", srvOpen, RxException.of(e).getMessage());
    }
    srvOpen.updateCondition(Condition.CLOSED, NtStatus.SUCCESS);
  }

  /** RxFinalizeSrvOpen. */
  boolean finalizeSrvOpen(SrvOpen srvOpen, boolean recursive, boolean force) {
    Fcb fcb = srvOpen.fcb;
    requireHeld(fcb.resource, "FCB");
    if (recursive) {
      for (Fobx f : srvOpen.fobxs()) {
        finalizeNetFobx(f, true, force);
      }
    }
    if (srvOpen.refCount != 0 && !force) {
      return false;
    }
    if (!srvOpen.upperFinalizationDone) {
      srvOpen.upperFinalizationDone = true;
      if (srvOpen.condition() == Condition.GOOD && !srvOpen.hasFlag(SrvOpen.FLAG_CLOSED)) {
        closeSrvOpen(srvOpen);
      } else if (!srvOpen.hasFlag(SrvOpen.FLAG_CLOSED) && !fcb.isOrphaned()) {
        srvOpen.miniRdr().forceClosed(srvOpen);
      }
      unlinkSrvOpen(srvOpen);
      VNetRoot v = srvOpen.vNetRoot;
      rdr.refs.dereference(v, lhsForPrefix());
    }
    if (srvOpen.refCount != 0) {
      return false;
    }
    srvOpen.freed = true;
    if (srvOpen.hasFlag(SrvOpen.FLAG_ENCLOSED_ALLOCATED)) {
      fcb.embeddedSrvOpenUsed = false;
    }
    rdr.live.remove(srvOpen);
    dereferenceAndFinalizeFcb(fcb);
    return true;
  }

  private void unlinkSrvOpen(SrvOpen srvOpen) {
    Fcb fcb = srvOpen.fcb;
    boolean removed;
    synchronized (fcb.srvOpens) {
      removed = fcb.srvOpens.remove(srvOpen);
    }
    if (removed) {
      fcb.srvOpenListVersion++;
      fcb.netRoot.numberOfSrvOpens.decrementAndGet();
    }
  }

  /**
   * RxpDereferenceAndFinalizeNetFcb: drops a reference and finalizes the FCB when only the table's
   * reference is left and nothing is open. The FCB resource and FCB table must be held.
   */
  boolean dereferenceAndFinalizeFcb(Fcb fcb) {
    requireHeld(fcb.resource, "FCB");
    int c = rdr.refs.dereferenceFcb(fcb);
    if (c > 1 || fcb.openCount != 0 || fcb.uncleanCount != 0) {
      return false;
    }
    if (!fcb.netRoot.fcbTable.lock().isHeldExclusive()) {
      throw new IllegalStateException("FCB finalization without the FCB table: " + fcb);
    }
    return finalizeNetFcb(fcb, false, false, c);
  }

  /** RxFinalizeNetFcb. */
  boolean finalizeNetFcb(Fcb fcb, boolean recursive, boolean force, int refCount) {
    requireHeld(fcb.resource, "FCB");
    if (force) {
      throw new AssertionError("RxFinalizeNetFcb: force must be FALSE");
    }
    if (recursive) {
      for (SrvOpen s : fcb.srvOpens()) {
        finalizeSrvOpen(s, true, false);
      }
    } else if (fcb.openCount != 0 || fcb.uncleanCount != 0) {
      return false;
    }
    if (refCount != 1) {
      return false;
    }
    if (!fcb.upperFinalizationDone) {
      fcb.upperFinalizationDone = true;
      if ((fcb.state & (Fcb.STATE_NAME_ALREADY_REMOVED | Fcb.STATE_ORPHANED)) == 0) {
        fcb.netRoot.fcbTable.remove(fcb);
        fcb.setState(Fcb.STATE_NAME_ALREADY_REMOVED);
      }
    }
    rdr.dataCache.release(fcb);
    fcb.netRoot.srvCall.miniRdr.deallocateForFcb(fcb);
    rdr.refs.dereferenceFcb(fcb);
    fcb.freed = true;
    fcb.netRoot.numberOfFcbs--;
    rdr.live.remove(fcb);
    rdr.refs.dereference(fcb.vNetRoot, LockHoldingState.LOCK_NOT_HELD);
    return true;
  }

  /** RxFinalizeVNetRoot. Prefix table exclusive. */
  boolean finalizeVNetRoot(VNetRoot v, boolean recursive, boolean force) {
    requireHeld(rdr.prefixTable.lock(), "prefix table");
    if (v.refCount != 1 && !force) {
      return false;
    }
    NetRoot n = v.netRoot;
    if (!v.upperFinalizationDone) {
      v.upperFinalizationDone = true;
      orphanSrvOpens(v);
      n.vNetRoots.remove(v);
      if (n.defaultVNetRoot == v) {
        n.defaultVNetRoot = n.vNetRoots.isEmpty() ? null : n.vNetRoots.get(0);
      }
      if (n.vNetRoots.isEmpty() && !n.nameAlreadyRemoved) {
        rdr.prefixTable.remove(n.name(), n);
        n.nameAlreadyRemoved = true;
        n.srvCall.miniRdr.finalizeNetRoot(n, false);
      }
      rdr.prefixTable.remove(v.name(), v);
    }
    if (v.refCount != 1 || v.freed) {
      return false;
    }
    v.netRoot.srvCall.miniRdr.finalizeVNetRoot(v, false);
    v.credentials().destroy();
    for (java.util.function.Consumer<VNetRoot> l : rdr.finalizedListeners) {
      rdr.workers.execute(() -> l.accept(v));
    }
    v.refCount = 0;
    v.freed = true;
    rdr.live.remove(v);
    rdr.refs.dereference(n, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    return true;
  }

  /** Flags every SRV_OPEN of this V_NET_ROOT orphaned, on every FCB of the NET_ROOT. */
  void orphanSrvOpens(VNetRoot v) {
    if (v.netRoot.type() == NetRoot.Type.MAILSLOT) {
      return;
    }
    for (Fcb fcb : v.netRoot.fcbTable.snapshot()) {
      for (SrvOpen s : fcb.srvOpens()) {
        if (s.vNetRoot == v) {
          s.setFlag(SrvOpen.FLAG_ORPHANED);
        }
      }
    }
  }

  /** RxFinalizeNetRoot. Prefix table exclusive. */
  boolean finalizeNetRoot(NetRoot n, boolean recursive, boolean force) {
    requireHeld(rdr.prefixTable.lock(), "prefix table");
    if (n.finalizationInProgress) {
      return false;
    }
    if (n.refCount != 1 && !force) {
      return false;
    }
    n.finalizationInProgress = true;
    if (n.refCount != 1) {
      return false;
    }
    if (!n.nameAlreadyRemoved) {
      rdr.prefixTable.remove(n.name(), n);
      n.nameAlreadyRemoved = true;
      n.srvCall.miniRdr.finalizeNetRoot(n, false);
    }
    n.upperFinalizationDone = true;
    n.refCount = 0;
    n.freed = true;
    rdr.live.remove(n);
    SrvCall s = n.srvCall;
    rdr.refs.dereference(
        s,
        s.closeTransportRequested
            ? LockHoldingState.EXCLUSIVE_LOCK_HELD
            : LockHoldingState.LOCK_NOT_HELD);
    return true;
  }

  /**
   * RxFinalizeSrvCall. Prefix table exclusive. MRxFinalizeSrvCall (closing the transport) runs on a
   * worker, not under the table lock: the name is removed now, an extra reference keeps the
   * SRV_CALL until the worker has run, then phase 2 frees it.
   */
  boolean finalizeSrvCall(SrvCall s, boolean recursive, boolean force) {
    requireHeld(rdr.prefixTable.lock(), "prefix table");
    if (s.refCount != 1 && !force) {
      return false;
    }
    if (!s.upperFinalizationDone) {
      s.upperFinalizationDone = true;
      rdr.prefixTable.remove(s.name(), s);
      if (force) {
        s.setFlags(s.flags() | SrvCall.FLAG_FORCE_FINALIZED);
      }
      boolean wasOne = s.refCount == 1;
      rdr.refs.mutex.lockExclusive();
      try {
        s.refCount++;
      } finally {
        rdr.refs.mutex.unlockExclusive();
      }
      rdr.workers.execute(
          () -> {
            try {
              s.miniRdr.finalizeSrvCall(s, force);
            } catch (RuntimeException e) {
              LOG.warn("MRxFinalizeSrvCall of {} failed", s, e);
            }
            rdr.prefixTable.lock().lockExclusive();
            try {
              s.miniFinalized = true;
              rdr.refs.dereference(s, LockHoldingState.EXCLUSIVE_LOCK_HELD);
            } finally {
              rdr.prefixTable.lock().unlockExclusive();
            }
          });
      return wasOne;
    }
    if (s.refCount != 1 || !s.miniFinalized || s.freed) {
      return false;
    }
    s.refCount = 0;
    s.setDomainName(null);
    s.freed = true;
    rdr.live.remove(s);
    return true;
  }

  /**
   * Finalizes a FOBX held in delayed close (or any scavenger-marked FOBX): really closes its
   * SRV_OPEN and lets the FCB go. Takes the FCB table and the FCB; no lock may be held.
   */
  void purgeDelayedFobx(Fobx fobx) {
    Fcb fcb = fobx.srvOpen.fcb;
    FcbTable table = fcb.netRoot.fcbTable;
    table.lock().lockExclusive();
    try {
      fcb.resource.lockExclusive();
      try {
        purgeDelayedFobxLocked(fobx);
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
  }

  /**
   * As {@link #purgeDelayedFobx} if the FCB table and the FCB are free now; returns {@code false}
   * without waiting otherwise.
   */
  boolean tryPurgeDelayedFobx(Fobx fobx) {
    Fcb fcb = fobx.srvOpen.fcb;
    FcbTable table = fcb.netRoot.fcbTable;
    if (!table.lock().tryLockExclusive()) {
      return false;
    }
    try {
      if (!fcb.resource.tryLockExclusive()) {
        return false;
      }
      try {
        if (fobx.delayedClose) {
          purgeDelayedFobxLocked(fobx);
        }
        return true;
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
  }

  /** As {@link #purgeDelayedFobx} with the FCB table and FCB already held. */
  void purgeDelayedFobxLocked(Fobx fobx) {
    fobx.delayedClose = false;
    rdr.refs.dereferenceFromScavenger(fobx);
  }

  private LockHoldingState lhsForPrefix() {
    return rdr.prefixTable.lock().isHeldExclusive()
        ? LockHoldingState.EXCLUSIVE_LOCK_HELD
        : LockHoldingState.LOCK_NOT_HELD;
  }

  private static void requireHeld(OrderedLock lock, String what) {
    if (!lock.isHeldExclusive()) {
      throw new IllegalStateException(what + " must be held exclusive");
    }
  }
}
