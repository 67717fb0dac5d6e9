package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * RxFinalizeConnection with the semantics of RDBSS.md part A: FALSE fails while anything is in use
 * (FILES_OPEN for an open file, CONNECTION_IN_USE for an open directory or another outstanding
 * request), TRUE cancels outstanding requests and orphans open handles after flushing them, 0xFF
 * drops the add-connection reference and otherwise acts as FALSE. A cancelled request context
 * returns CANCELLED and a context that may not wait LOCK_NOT_GRANTED, both changing nothing.
 */
final class ConnectionFinalizer {
  private final Redirector rdr;

  ConnectionFinalizer(Redirector rdr) {
    this.rdr = rdr;
  }

  FinalizeResult finalizeConnection(
      RxContext ctx,
      NetRoot netRoot,
      VNetRoot v,
      ForceFilesClosed force,
      Set<FinalizeOption> options) {
    if (v == null || netRoot == null || v.netRoot != netRoot) {
      throw new AssertionError("RxFinalizeConnection needs a V_NET_ROOT of the given NET_ROOT");
    }
    if (ctx.isCancelled()) {
      return FinalizeResult.of(NtStatus.CANCELLED);
    }
    PrefixTable pt = rdr.prefixTable;
    FcbTable table = netRoot.fcbTable;
    // data held back for this connection's files goes to the server first, with no lock held
    List<FinalizeResult.UnflushedFile> lost = new ArrayList<>(writeBack(ctx, v));
    if (!acquire(ctx, pt.lock())) {
      return FinalizeResult.of(ctx.isCancelled() ? NtStatus.CANCELLED : NtStatus.LOCK_NOT_GRANTED);
    }
    List<RxContext> toCancel = List.of();
    List<SrvOpen> orphaned = List.of();
    NtStatus status;
    try {
      if (!acquire(ctx, table.lock())) {
        return FinalizeResult.of(
            ctx.isCancelled() ? NtStatus.CANCELLED : NtStatus.LOCK_NOT_GRANTED);
      }
      try {
        if (ctx.isCancelled()) {
          return FinalizeResult.of(NtStatus.CANCELLED);
        }
        if (v.upperFinalizationDone) {
          return FinalizeResult.of(NtStatus.SUCCESS);
        }
        if (options.contains(FinalizeOption.CLOSE_TRANSPORT)) {
          netRoot.srvCall.closeTransportRequested = true;
        }
        if (force == ForceFilesClosed.TRUE) {
          v.connectionFinalizationDone = true;
          toCancel = outstandingExcept(v, ctx);
          orphaned = orphan(v);
          purgeDelayed(v);
          status = NtStatus.SUCCESS;
        } else {
          status = inUse(v, ctx);
          if (status == NtStatus.SUCCESS) {
            purgeDelayed(v);
            v.connectionFinalizationDone = true;
          } else if (force == ForceFilesClosed.LAZY) {
            // a lazily deleted connection must not be kept alive by its own delayed closes
            purgeDelayed(v);
          }
        }
      } finally {
        table.lock().unlockExclusive();
      }
      boolean finalizeNow = force == ForceFilesClosed.TRUE || status == NtStatus.SUCCESS;
      if (finalizeNow) {
        rdr.finalization.finalizeVNetRoot(v, false, true);
      }
      if ((force == ForceFilesClosed.LAZY || finalizeNow) && v.additionalReferenceTaken) {
        v.additionalReferenceTaken = false;
        if (!finalizeNow) {
          v.lazyDeletePending = true;
        }
        rdr.refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
      } else if (force == ForceFilesClosed.LAZY && !finalizeNow) {
        v.lazyDeletePending = true;
      }
      if (finalizeNow && v.isScavengerMarked()) {
        rdr.refs.dereferenceFromScavenger(v);
      }
    } finally {
      pt.lock().unlockExclusive();
    }
    if (status == NtStatus.SUCCESS && options.contains(FinalizeOption.CLOSE_TRANSPORT)) {
      rdr.closeTransportIfIdle(netRoot.srvCall);
    }
    for (RxContext c : toCancel) {
      c.cancel();
    }
    for (FinalizeResult.UnflushedFile u : closeOrphans(orphaned)) {
      if (lost.stream().noneMatch(l -> l.path().equals(u.path()))) {
        lost.add(u);
      }
    }
    return new FinalizeResult(status, lost);
  }

  /**
   * Writes the dirty pages of every file this V_NET_ROOT has open, and has writes completed ahead
   * of the server confirmed; returns the failures.
   */
  private List<FinalizeResult.UnflushedFile> writeBack(RxContext ctx, VNetRoot v) {
    List<FinalizeResult.UnflushedFile> lost = new ArrayList<>();
    for (Fcb fcb : v.netRoot.fcbTable.snapshot()) {
      boolean ours = false;
      for (SrvOpen s : fcb.srvOpens()) {
        ours |= s.vNetRoot == v;
      }
      if (!ours) {
        continue;
      }
      try {
        rdr.dataCache.flushOrConfirm(
            ctx, fcb, s -> s.vNetRoot == v && !s.hasFlag(SrvOpen.FLAG_CLOSED));
      } catch (RuntimeException e) {
        RxException rx = RxException.of(e);
        lost.add(new FinalizeResult.UnflushedFile(fcb.path(), rx.status(), rx.getMessage()));
      }
    }
    return lost;
  }

  /** Part A, decision 2: what keeps a connection in use, FILES_OPEN first. */
  private NtStatus inUse(VNetRoot v, RxContext self) {
    boolean dirs = false;
    for (SrvOpen s : srvOpensOf(v)) {
      for (Fobx f : s.fobxs()) {
        if (f.cleanedUp || f.closed) {
          continue;
        }
        if (s.fcb.isDirectory()) {
          dirs = true;
        } else {
          return NtStatus.FILES_OPEN;
        }
      }
    }
    if (dirs || !outstandingExcept(v, self).isEmpty()) {
      return NtStatus.CONNECTION_IN_USE;
    }
    return NtStatus.SUCCESS;
  }

  private static List<RxContext> outstandingExcept(VNetRoot v, RxContext self) {
    List<RxContext> l = new ArrayList<>(v.outstandingRequests());
    l.remove(self);
    return l;
  }

  /** Flags every SRV_OPEN of the V_NET_ROOT orphaned, each under its FCB's resource. */
  private static List<SrvOpen> orphan(VNetRoot v) {
    List<SrvOpen> l = new ArrayList<>();
    for (Fcb fcb : v.netRoot.fcbTable.snapshot()) {
      fcb.resource.lockExclusive();
      try {
        for (SrvOpen s : fcb.srvOpens()) {
          if (s.vNetRoot == v && !s.upperFinalizationDone) {
            s.setFlag(SrvOpen.FLAG_ORPHANED);
            l.add(s);
          }
        }
      } finally {
        fcb.resource.unlockExclusive();
      }
    }
    return l;
  }

  /** Every SRV_OPEN of this V_NET_ROOT on every FCB of its NET_ROOT, the root included. */
  private static List<SrvOpen> srvOpensOf(VNetRoot v) {
    List<SrvOpen> l = new ArrayList<>();
    for (Fcb fcb : v.netRoot.fcbTable.snapshot()) {
      for (SrvOpen s : fcb.srvOpens()) {
        if (s.vNetRoot == v && !s.upperFinalizationDone) {
          l.add(s);
        }
      }
    }
    return l;
  }

  /** Really closes the delayed closes of this V_NET_ROOT (behaviour 35). FCB table held. */
  private void purgeDelayed(VNetRoot v) {
    for (Fcb fcb : v.netRoot.fcbTable.snapshot()) {
      rdr.refs.referenceFcb(fcb);
      fcb.resource.lockExclusive();
      try {
        for (SrvOpen s : fcb.srvOpens()) {
          if (s.vNetRoot != v) {
            continue;
          }
          fcb.clearState(Fcb.STATE_COLLAPSING_ENABLED);
          for (Fobx f : s.fobxs()) {
            if (f.isScavengerMarked()) {
              rdr.finalization.purgeDelayedFobxLocked(f);
            }
          }
        }
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      } finally {
        fcb.resource.unlockExclusive();
      }
    }
  }

  /**
   * Flushes and closes the server handles of orphaned SRV_OPENs, with no table lock held. A flush
   * that fails or times out is reported per file; the handle is closed either way.
   */
  private List<FinalizeResult.UnflushedFile> closeOrphans(List<SrvOpen> orphaned) {
    List<FinalizeResult.UnflushedFile> lost = new ArrayList<>();
    for (SrvOpen s : orphaned) {
      s.fcb.resource.lockExclusive();
      try {
        if (s.hasFlag(SrvOpen.FLAG_CLOSED) || s.condition() != Condition.GOOD) {
          continue;
        }
        if (FileAccess.writes(s.desiredAccess())) {
          try {
            RxContext fctx = RxContext.of(s.vNetRoot.identity());
            rdr.dataCache.flush(fctx, s.fcb);
            s.miniRdr()
                .flush(fctx, s)
                .get(rdr.config().flushTimeout().toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            RxException rx = RxException.of(e);
            lost.add(new FinalizeResult.UnflushedFile(s.fcb.path(), rx.status(), rx.getMessage()));
          }
        }
        rdr.finalization.closeSrvOpen(s);
      } finally {
        s.fcb.resource.unlockExclusive();
      }
    }
    return lost;
  }

  /** Takes a lock exclusive as the context allows: at once, or waiting while not cancelled. */
  private static boolean acquire(RxContext ctx, OrderedLock lock) {
    if (!ctx.mayWait()) {
      return lock.tryLockExclusive();
    }
    try {
      while (!ctx.isCancelled()) {
        if (lock.tryLockExclusive(20, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
