package org.rdbss4j.core;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Open, collapse, cleanup and close (RxCommonCreate, RxCommonCleanup, RxCommonClose), with delayed
 * close and open collapsing as in RDBSS.md section 9.2 and the purge-and-retry of part A, decision
 * 12.
 */
final class FileOps {
  private final Redirector rdr;

  FileOps(Redirector rdr) {
    this.rdr = rdr;
  }

  /** Opens a file on a V_NET_ROOT the caller holds a reference on. */
  FileObject create(RxContext ctx, VNetRoot v, CreateRequest req) {
    String path = UncName.relativePath(req.path());
    CreateRequest r = req.withPath(path);
    ctx.begin(RxContext.MajorFunction.CREATE, v, null, path);
    try {
      try {
        return createOnce(ctx, v, r);
      } catch (RxException e) {
        if (e.status() == NtStatus.SHARING_VIOLATION && purgeDelayedCloses(v.netRoot, path)) {
          return createOnce(ctx, v, r);
        }
        throw e;
      }
    } finally {
      ctx.end();
    }
  }

  private FileObject createOnce(RxContext ctx, VNetRoot v, CreateRequest r) {
    if (ctx.isCancelled()) {
      throw new RxException(NtStatus.CANCELLED, "open cancelled");
    }
    boolean mustExist =
        r.disposition() == FileAccess.FILE_OPEN || r.disposition() == FileAccess.FILE_OVERWRITE;
    if (mustExist && rdr.metadata.knownMissing(v.netRoot, r.path())) {
      throw new RxException(NtStatus.OBJECT_NAME_NOT_FOUND, r.path() + " (known missing)");
    }
    Fcb fcb = findOrCreateFcb(v, r.path());
    fcb.resource.lockExclusive();
    boolean fcbReleased = false;
    try {
      if (v.connectionFinalizationDone || v.upperFinalizationDone) {
        throw new RxException(NtStatus.NETWORK_NAME_DELETED, "connection deleted: " + v.name());
      }
      SrvOpen s = findCollapsible(ctx, fcb, v, r);
      CreateResult.Action action = CreateResult.Action.OPENED;
      if (s != null) {
        collapse(ctx, s);
      } else {
        s = newSrvOpen(ctx, fcb, v, r);
        action = s.createAction;
      }
      Fobx fobx = createNetFobx(s, r);
      // the SRV_OPEN's creation (or collapse) reference is now held through the FOBX
      rdr.refs.dereference(s, LockHoldingState.EXCLUSIVE_LOCK_HELD);
      fcb.uncleanCount++;
      fcb.openCount++;
      return new FileObject(rdr, fobx, ctx.identity(), action);
    } catch (RuntimeException e) {
      fcb.resource.unlockExclusive();
      fcbReleased = true;
      releaseFcb(fcb);
      throw e;
    } finally {
      if (!fcbReleased) {
        fcb.resource.unlockExclusive();
      }
    }
  }

  /** The FCB for a path, referenced: found in the FCB table or created (RxCreateNetFcb). */
  private Fcb findOrCreateFcb(VNetRoot v, String path) {
    FcbTable table = v.netRoot.fcbTable;
    table.lock().lockExclusive();
    try {
      Fcb fcb = table.lookup(path);
      if (fcb != null) {
        rdr.refs.referenceFcb(fcb);
        return fcb;
      }
      return createNetFcb(v, path);
    } finally {
      table.lock().unlockExclusive();
    }
  }

  /** RxCreateNetFcb: count 2 (table and caller); references its V_NET_ROOT. Table exclusive. */
  Fcb createNetFcb(VNetRoot v, String path) {
    FcbTable table = v.netRoot.fcbTable;
    if (!table.lock().isHeldExclusive()) {
      throw new IllegalStateException("FCB table must be held exclusive");
    }
    Fcb fcb = new Fcb(rdr, v.netRoot, v, path, table.keyOf(path));
    table.insert(fcb);
    rdr.refs.reference(v);
    v.netRoot.numberOfFcbs++;
    rdr.live.add(fcb);
    return fcb;
  }

  /** Drops a create's FCB reference, finalizing the FCB if nothing else holds it. */
  private void releaseFcb(Fcb fcb) {
    FcbTable table = fcb.netRoot.fcbTable;
    table.lock().lockExclusive();
    try {
      fcb.resource.lockExclusive();
      try {
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
  }

  /** RxSearchForCollapsibleOpen. FCB held. */
  private SrvOpen findCollapsible(RxContext ctx, Fcb fcb, VNetRoot v, CreateRequest r) {
    if ((fcb.state & Fcb.STATE_COLLAPSING_ENABLED) == 0
        || fcb.isDirectory()
        || fcb.isOrphaned()
        || v.netRoot.type() != NetRoot.Type.DISK
        || (r.disposition() != FileAccess.FILE_OPEN && r.disposition() != FileAccess.FILE_OPEN_IF)
        || r.isBackupIntent()
        || r.isDeleteOnClose()
        || r.wantsDirectory()
        || attributesOnly(r)) {
      return null;
    }
    for (SrvOpen s : fcb.srvOpens()) {
      if (s.vNetRoot == v
          && s.condition() == Condition.GOOD
          && (s.flags
                  & (SrvOpen.FLAG_CLOSED
                      | SrvOpen.FLAG_COLLAPSING_DISABLED
                      | SrvOpen.FLAG_ORPHANED
                      | SrvOpen.FLAG_FILE_RENAMED
                      | SrvOpen.FLAG_FILE_DELETED))
              == 0
          && s.request.desiredAccess() == r.desiredAccess()
          && s.request.shareAccess() == r.shareAccess()
          && s.request.createOptions() == r.createOptions()
          && (s.openCount == 0 || sharesWhatItAccesses(r))
          && s.miniRdr().shouldTryToCollapseThisOpen(ctx, s) == NtStatus.SUCCESS) {
        return s;
      }
    }
    return null;
  }

  /** An open asking only for attributes never collapses, so delaying its close gains nothing. */
  private static boolean attributesOnly(CreateRequest r) {
    return (r.desiredAccess() & ~(FileAccess.FILE_READ_ATTRIBUTES | FileAccess.SYNCHRONIZE)) == 0;
  }

  /**
   * IoCheckShareAccess between two opens with the same access and share mode: they coexist only if
   * the mode shares everything the access asks for. Checked before collapsing onto a SRV_OPEN that
   * has open handles, so collapsing never lets through an open the server would refuse.
   */
  private static boolean sharesWhatItAccesses(CreateRequest r) {
    int a = r.desiredAccess();
    int sh = r.shareAccess();
    boolean reads = (a & (FileAccess.FILE_READ_DATA | FileAccess.FILE_EXECUTE)) != 0;
    boolean writes = (a & (FileAccess.FILE_WRITE_DATA | FileAccess.FILE_APPEND_DATA)) != 0;
    boolean deletes = (a & FileAccess.DELETE) != 0;
    return (!reads || (sh & FileAccess.FILE_SHARE_READ) != 0)
        && (!writes || (sh & FileAccess.FILE_SHARE_WRITE) != 0)
        && (!deletes || (sh & FileAccess.FILE_SHARE_DELETE) != 0);
  }

  /** Collapses onto an existing SRV_OPEN: MRxCollapseOpen instead of MRxCreate. FCB held. */
  private void collapse(RxContext ctx, SrvOpen s) {
    rdr.await(ctx, s.miniRdr().collapseOpen(ctx, s));
    rdr.refs.reference(s);
    s.openCount++;
    if (s.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)) {
      s.clearFlag(SrvOpen.FLAG_CLOSE_DELAYED);
      s.vNetRoot.netRoot.srvCall.numberOfCloseDelayedFiles.decrementAndGet();
      // The dormant FOBX that kept the handle is done with; the SRV_OPEN now has an open, so
      // finalizing that FOBX neither closes the handle nor reaches the FCB.
      for (Fobx f : s.fobxs()) {
        if (f.isScavengerMarked()) {
          rdr.finalization.purgeDelayedFobxLocked(f);
        }
      }
    }
  }

  /** RxCreateSrvOpen plus MRxCreate. FCB held. Returns it referenced once for the caller. */
  private SrvOpen newSrvOpen(RxContext ctx, Fcb fcb, VNetRoot v, CreateRequest r) {
    if (fcb.cache != null
        && (r.disposition() == FileAccess.FILE_SUPERSEDE
            || r.disposition() == FileAccess.FILE_OVERWRITE
            || r.disposition() == FileAccess.FILE_OVERWRITE_IF)) {
      // writes held back happened before the overwrite: the server gets them first
      rdr.dataCache.flush(ctx, fcb);
    }
    SrvOpen s = createSrvOpen(fcb, v, r);
    s.transition();
    CreateResult result;
    try {
      result = rdr.await(ctx, s.miniRdr().create(ctx, s));
    } catch (RuntimeException e) {
      RxException rx = RxException.of(e);
      if (rx.status() == NtStatus.OBJECT_NAME_NOT_FOUND) {
        rdr.metadata.putMissing(fcb.netRoot, fcb.path());
      }
      s.updateCondition(Condition.BAD, rx.status());
      discardSrvOpen(s);
      if (fcb.condition() == Condition.UNINITIALIZED) {
        fcb.updateCondition(Condition.BAD, rx.status());
      }
      throw rx;
    }
    s.updateCondition(Condition.GOOD, NtStatus.SUCCESS);
    s.openCount = 1;
    s.createAction = result.action();
    synchronized (s) {
      // a break that arrived before the create's result (the server broke what it had just
      // granted, e.g. for another client's open) wins over the grant
      Set<Buffering> granted = result.buffering();
      if (s.bufferingChanged) {
        EnumSet<Buffering> both = EnumSet.noneOf(Buffering.class);
        both.addAll(granted);
        both.retainAll(s.buffering);
        granted = Set.copyOf(both);
      }
      s.buffering = granted;
    }
    rdr.dataCache.opened(fcb, result);
    if (result.action() != CreateResult.Action.OPENED) {
      rdr.metadata.changed(fcb.netRoot, fcb.path());
    }
    rdr.metadata.found(fcb.netRoot, fcb.path());
    rdr.metadata.putAttributes(fcb.netRoot, fcb.path(), result.info());
    finishFcbInitialization(
        fcb,
        result.info().directory() ? NodeType.STORAGE_TYPE_DIRECTORY : NodeType.STORAGE_TYPE_FILE,
        result.info());
    return s;
  }

  /** RxCreateSrvOpen: count 1; references its V_NET_ROOT and FCB. FCB held. */
  SrvOpen createSrvOpen(Fcb fcb, VNetRoot v, CreateRequest r) {
    if (!fcb.resource.isHeldExclusive()) {
      throw new IllegalStateException("FCB must be held exclusive");
    }
    boolean enclosed = !fcb.embeddedSrvOpenUsed;
    if (enclosed) {
      fcb.embeddedSrvOpenUsed = true;
    }
    SrvOpen s = new SrvOpen(rdr, fcb, v, r, enclosed);
    rdr.refs.reference(v);
    rdr.refs.referenceFcb(fcb);
    synchronized (fcb.srvOpens) {
      fcb.srvOpens.add(s);
    }
    fcb.srvOpenListVersion++;
    fcb.netRoot.numberOfSrvOpens.incrementAndGet();
    rdr.live.add(s);
    return s;
  }

  /**
   * A SRV_OPEN whose create failed: unlinked and freed. FCB held; the create's own FCB reference
   * keeps the FCB alive, so this never needs the FCB table.
   */
  private void discardSrvOpen(SrvOpen s) {
    rdr.refs.dereference(s, LockHoldingState.EXCLUSIVE_LOCK_HELD);
  }

  /**
   * RxFinishFcbInitialization: fixes the storage type and copies times, sizes and attributes; the
   * FCB becomes Good.
   */
  void finishFcbInitialization(Fcb fcb, NodeType type, FileInfo info) {
    fcb.nodeTypeCode = (fcb.nodeTypeCode & NodeType.SCAVENGER_MASK) | type.code();
    if (info != null) {
      fcb.info = info;
    }
    if (fcb.condition() != Condition.GOOD) {
      fcb.updateCondition(Condition.GOOD, NtStatus.SUCCESS);
    }
  }

  /** RxCreateNetFobx: count 1; references the SRV_OPEN; charged to its V_NET_ROOT. FCB held. */
  Fobx createNetFobx(SrvOpen s, CreateRequest r) {
    Fcb fcb = s.fcb;
    int flags = r.isDeleteOnClose() ? Fobx.FLAG_DELETE_ON_CLOSE : 0;
    if (s.hasFlag(SrvOpen.FLAG_ENCLOSED_ALLOCATED) && !fcb.embeddedFobxUsed && s.openCount <= 1) {
      fcb.embeddedFobxUsed = true;
      flags |= Fobx.FLAG_ENCLOSED_ALLOCATED;
    } else if (!s.embeddedFobxUsed) {
      s.embeddedFobxUsed = true;
      flags |= Fobx.FLAG_ENCLOSED_ALLOCATED;
    }
    Fobx f = new Fobx(rdr, s, flags);
    rdr.refs.reference(s);
    synchronized (s.fobxs) {
      s.fobxs.add(f);
    }
    s.uncleanFobxCount++;
    s.vNetRoot.numberOfFobxs.incrementAndGet();
    rdr.live.add(f);
    return f;
  }

  /**
   * RxCommonCleanup: the caller's last handle is gone. Cancels the handle's own change
   * notifications whatever any force level; an orphaned handle only has its counts adjusted.
   */
  void cleanup(RxContext ctx, FileObject fo) {
    Fobx fobx = fo.fobx();
    SrvOpen s = fobx.srvOpen;
    for (RxContext pending : s.vNetRoot.outstandingRequests()) {
      if (pending.fobx() == fobx && pending != ctx) {
        pending.cancel();
      }
    }
    Fcb fcb = s.fcb;
    fcb.resource.lockExclusive();
    try {
      if (fobx.cleanedUp) {
        return;
      }
      fobx.cleanedUp = true;
      fobx.flags |= Fobx.FLAG_MARKED_AS_DORMANT;
      fcb.uncleanCount--;
      s.uncleanFobxCount--;
      fcb.locks.releaseAll(fobx);
      s.miniRdr().cleanupFobx(fobx);
    } finally {
      fcb.resource.unlockExclusive();
    }
  }

  /**
   * RxCommonClose: closes the open. On a non-directory file whose SRV_OPEN has no other open and
   * while the server's cap allows, the close is delayed: the FOBX goes to the scavenger and the
   * server handle stays open for collapsing. Otherwise the FOBX, SRV_OPEN and FCB are finalized as
   * their counts allow.
   */
  void close(RxContext ctx, FileObject fo) {
    Fobx fobx = fo.fobx();
    SrvOpen s = fobx.srvOpen;
    Fcb fcb = s.fcb;
    VNetRoot v = s.vNetRoot;
    FcbTable table = fcb.netRoot.fcbTable;
    boolean delayed = false;
    // the data held back is written before the handle goes, with no table lock held; a failure is
    // the caller's (the close itself still completes). An orphaned handle's data was written, or
    // reported unflushed, by the forced finalization that orphaned it.
    RxException flushFailure = null;
    if (!fobx.closed && !s.isOrphaned()) {
      try {
        rdr.dataCache.flushOrConfirm(ctx, fcb, x -> x == s);
      } catch (RuntimeException e) {
        flushFailure = RxException.of(e);
      }
    }
    table.lock().lockExclusive();
    try {
      fcb.resource.lockExclusive();
      try {
        if (fobx.closed) {
          return;
        }
        fobx.closed = true;
        fobx.flags &= ~Fobx.FLAG_MARKED_AS_DORMANT;
        if (isDeletePending(fcb, s, fobx)) {
          scavengeRelatedFobxs(fcb, fobx);
          rdr.metadata.changed(fcb.netRoot, fcb.path());
        }
        fcb.openCount--;
        s.openCount--;
        delayed = shouldDelayClose(fcb, s, fobx);
        if (delayed) {
          s.setFlag(SrvOpen.FLAG_CLOSE_DELAYED);
          fobx.delayedClose = true;
          fobx.closeTime = System.nanoTime();
          rdr.refs.dereference(fobx, LockHoldingState.LOCK_NOT_HELD);
          rdr.refs.mutex.lockExclusive();
          try {
            rdr.scavenger.addDelayedCloseLocked(fobx);
          } finally {
            rdr.refs.mutex.unlockExclusive();
          }
        } else {
          rdr.refs.dereference(fobx, LockHoldingState.EXCLUSIVE_LOCK_HELD);
        }
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
    if (delayed) {
      rdr.scavenger.enforceDormantCap();
    }
    rdr.reapIfDeleted(v);
    if (flushFailure != null) {
      if (fcb.openCount == 0) {
        // no handle is left to retry through: what could not be written is dropped, reported here
        rdr.dataCache.discard(fcb);
      }
      throw flushFailure;
    }
  }

  private static boolean isDeletePending(Fcb fcb, SrvOpen s, Fobx fobx) {
    return (fobx.flags & Fobx.FLAG_DELETE_ON_CLOSE) != 0
        || s.hasFlag(SrvOpen.FLAG_FILE_DELETED)
        || (fcb.state & Fcb.STATE_DELETE_ON_CLOSE) != 0;
  }

  /**
   * RxScavengeRelatedFobxs: before a delete-pending handle closes, the FCB's delayed closes are
   * really closed, so that our own cached handles never keep the file from being deleted. FCB table
   * and FCB held.
   */
  private void scavengeRelatedFobxs(Fcb fcb, Fobx closing) {
    for (SrvOpen other : fcb.srvOpens()) {
      for (Fobx f : other.fobxs()) {
        if (f != closing && f.isScavengerMarked()) {
          rdr.finalization.purgeDelayedFobxLocked(f);
        }
      }
    }
  }

  private boolean shouldDelayClose(Fcb fcb, SrvOpen s, Fobx fobx) {
    if (fcb.isDirectory()
        || !s.buffering.contains(Buffering.HANDLE)
        || fcb.nodeType() != NodeType.STORAGE_TYPE_FILE
        || (fcb.state & (Fcb.STATE_DELETE_ON_CLOSE | Fcb.STATE_ORPHANED)) != 0
        || (fcb.state & Fcb.STATE_COLLAPSING_ENABLED) == 0
        || (fobx.flags & Fobx.FLAG_DELETE_ON_CLOSE) != 0
        || s.isOrphaned()
        || s.openCount != 0
        || s.condition() != Condition.GOOD
        || (s.flags
                & (SrvOpen.FLAG_COLLAPSING_DISABLED
                    | SrvOpen.FLAG_FILE_DELETED
                    | SrvOpen.FLAG_FILE_RENAMED
                    | SrvOpen.FLAG_CLOSED))
            != 0
        || s.request.isDeleteOnClose()
        || s.request.isBackupIntent()
        || attributesOnly(s.request)
        || s.vNetRoot.upperFinalizationDone
        || s.vNetRoot.lazyDeletePending) {
      return false;
    }
    SrvCall srv = fcb.netRoot.srvCall;
    int n = srv.numberOfCloseDelayedFiles.incrementAndGet();
    if (n >= srv.maximumNumberOfCloseDelayedFiles() + 1
        || srv.maximumNumberOfCloseDelayedFiles() == 0) {
      srv.numberOfCloseDelayedFiles.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Purges the delayed closes of every FCB below a directory (RxScavengeFobxsForNetRoot). */
  void purgeDelayedClosesBelow(NetRoot netRoot, String dir) {
    FcbTable table = netRoot.fcbTable;
    String prefix = dir.isEmpty() ? "" : table.keyOf(dir) + "\\";
    List<String> paths = new java.util.ArrayList<>();
    for (Fcb fcb : table.snapshot()) {
      if (!fcb.path().isEmpty() && fcb.tableKey.startsWith(prefix)) {
        paths.add(fcb.path());
      }
    }
    for (String p : paths) {
      purgeDelayedCloses(netRoot, p);
    }
  }

  /**
   * Purges the delayed closes on a path (part A, decision 12): returns whether there were any, so
   * that the caller retries its open once.
   */
  boolean purgeDelayedCloses(NetRoot netRoot, String path) {
    FcbTable table = netRoot.fcbTable;
    boolean any = false;
    table.lock().lockExclusive();
    try {
      Fcb fcb = table.lookup(path);
      if (fcb == null) {
        return false;
      }
      rdr.refs.referenceFcb(fcb);
      fcb.resource.lockExclusive();
      try {
        fcb.clearState(Fcb.STATE_COLLAPSING_ENABLED);
        for (SrvOpen s : fcb.srvOpens()) {
          List<Fobx> fobxs = s.fobxs();
          for (Fobx f : fobxs) {
            if (f.isScavengerMarked()) {
              rdr.finalization.purgeDelayedFobxLocked(f);
              any = true;
            }
          }
        }
        fcb.setState(Fcb.STATE_COLLAPSING_ENABLED);
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
    return any;
  }
}
