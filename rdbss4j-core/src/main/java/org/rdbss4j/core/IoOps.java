package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The I/O requests on an open: read, write, query and set information, directory query, change
 * notification, byte-range locks and flush. Each runs in its {@link RxContext}, listed among its
 * V_NET_ROOT's outstanding requests while in flight. A handle whose SRV_OPEN is orphaned fails with
 * STATUS_UNEXPECTED_NETWORK_ERROR (behaviour 48); a closed one with STATUS_FILE_CLOSED.
 */
final class IoOps {
  private final Redirector rdr;

  IoOps(Redirector rdr) {
    this.rdr = rdr;
  }

  <T> T run(
      RxContext ctx,
      FileObject fo,
      RxContext.MajorFunction major,
      Supplier<CompletableFuture<T>> call) {
    Fobx fobx = fo.fobx();
    SrvOpen s = fobx.srvOpen;
    if (fobx.closed || fobx.cleanedUp) {
      throw new RxException(NtStatus.FILE_CLOSED, "handle closed");
    }
    checkOrphan(s);
    ctx.begin(major, s.vNetRoot, fobx, s.fcb.path());
    try {
      if (ctx.isCancelled()) {
        throw new RxException(NtStatus.CANCELLED, "request cancelled");
      }
      T result;
      try {
        result = rdr.await(ctx, call.get());
      } catch (RuntimeException e) {
        throw cancelledOr(ctx, RxException.of(e));
      }
      if (ctx.isCancelled() && s.isOrphaned()) {
        throw new RxException(NtStatus.CANCELLED, "request cancelled: connection deleted");
      }
      checkOrphan(s);
      return result;
    } finally {
      ctx.end();
    }
  }

  /**
   * A request cancelled while outstanding completes with CANCELLED, whatever the mini-redirector
   * saw afterwards: a forced connection deletion cancels it and then closes its handle, and the
   * request may reach the mini-redirector only after the handle is gone.
   */
  private static RxException cancelledOr(RxContext ctx, RxException e) {
    if (ctx.isCancelled() && e.status() != NtStatus.CANCELLED) {
      return new RxException(NtStatus.CANCELLED, "request cancelled", e);
    }
    return e;
  }

  private static void checkOrphan(SrvOpen s) {
    if (s.isOrphaned()) {
      throw new RxException(
          NtStatus.UNEXPECTED_NETWORK_ERROR,
          "the connection " + s.vNetRoot.uncName() + " was deleted; this handle is orphaned");
    }
  }

  int read(RxContext ctx, FileObject fo, long offset, ByteBuffer dst) {
    return read(ctx, fo, offset, dst, true);
  }

  /**
   * A read; {@code streamAhead} as for {@link DataCache#read(RxContext, SrvOpen, long, ByteBuffer,
   * boolean)}.
   */
  int read(RxContext ctx, FileObject fo, long offset, ByteBuffer dst, boolean streamAhead) {
    checkOffset(offset);
    SrvOpen s = fo.fobx().srvOpen;
    if (!FileAccess.reads(s.desiredAccess())) {
      throw new RxException(NtStatus.ACCESS_DENIED, "handle not opened for reading");
    }
    s.fcb.locks.check(fo.fobx(), offset, dst.remaining(), false);
    int n =
        run(
            ctx,
            fo,
            RxContext.MajorFunction.READ,
            () -> {
              Integer cached = rdr.dataCache.read(ctx, s, offset, dst, streamAhead);
              if (cached != null) {
                return CompletableFuture.completedFuture(cached);
              }
              if (s.fcb.cache == null) {
                return s.miniRdr().read(ctx, s, offset, dst);
              }
              return CompletableFuture.completedFuture(
                  rdr.dataCache.around(
                      ctx,
                      s.fcb,
                      false,
                      () -> rdr.await(ctx, s.miniRdr().read(ctx, s, offset, dst))));
            });
    rdr.dataCache.enforceBudget();
    return n;
  }

  int write(RxContext ctx, FileObject fo, long offset, ByteBuffer src) {
    checkOffset(offset);
    SrvOpen s = fo.fobx().srvOpen;
    if (!FileAccess.writes(s.desiredAccess())) {
      throw new RxException(NtStatus.ACCESS_DENIED, "handle not opened for writing");
    }
    s.fcb.locks.check(fo.fobx(), offset, src.remaining(), true);
    int n =
        run(
            ctx,
            fo,
            RxContext.MajorFunction.WRITE,
            () -> {
              Integer cached = rdr.dataCache.write(ctx, s, offset, src);
              if (cached != null) {
                return CompletableFuture.completedFuture(cached);
              }
              if (s.fcb.cache == null) {
                return s.miniRdr().write(ctx, s, offset, src);
              }
              return CompletableFuture.completedFuture(
                  rdr.dataCache.around(
                      ctx,
                      s.fcb,
                      true,
                      () -> rdr.await(ctx, s.miniRdr().write(ctx, s, offset, src))));
            });
    s.fcb.info = null;
    rdr.metadata.changed(s.fcb.netRoot, s.fcb.path());
    rdr.dataCache.enforceBudget();
    return n;
  }

  FileInfo queryInformation(RxContext ctx, FileObject fo) {
    SrvOpen s = fo.fobx().srvOpen;
    FileInfo cached = rdr.metadata.attributes(s.fcb.netRoot, s.fcb.path());
    FileInfo info =
        run(
            ctx,
            fo,
            RxContext.MajorFunction.QUERY_INFORMATION,
            () ->
                cached != null
                    ? CompletableFuture.completedFuture(cached)
                    : s.miniRdr().queryInformation(ctx, s));
    if (cached == null) {
      s.fcb.info = info;
    }
    FileInfo seen = rdr.dataCache.adjust(s.fcb, info);
    rdr.metadata.putAttributes(s.fcb.netRoot, s.fcb.path(), seen);
    return seen;
  }

  void setInformation(RxContext ctx, FileObject fo, SetInfo info) {
    SrvOpen s = fo.fobx().srvOpen;
    String newPath = null;
    if (info instanceof SetInfo.Rename rn) {
      newPath = UncName.relativePath(rn.newPath());
      if (newPath.isEmpty()) {
        throw new RxException(NtStatus.OBJECT_NAME_INVALID, "cannot rename to the share root");
      }
      rdr.fileOps.purgeDelayedCloses(s.fcb.netRoot, newPath);
      // our own cached handles on the source (and, for a directory, below it) must not outlive
      // its name: they could not be found again, and the server refuses to rename a directory
      // with open files below it
      rdr.fileOps.purgeDelayedCloses(s.fcb.netRoot, s.fcb.path());
      if (s.fcb.isDirectory()) {
        rdr.fileOps.purgeDelayedClosesBelow(s.fcb.netRoot, s.fcb.path());
      }
      info = new SetInfo.Rename(newPath, rn.replaceIfExists());
    }
    SetInfo effective = info;
    // the server sees the data held back before the change (a truncation, times, a rename, a
    // delete), and cached pages are dropped after it
    rdr.dataCache.around(
        ctx,
        s.fcb,
        true,
        () ->
            run(
                ctx,
                fo,
                RxContext.MajorFunction.SET_INFORMATION,
                () -> s.miniRdr().setInformation(ctx, s, effective)));
    s.fcb.info = null;
    rdr.metadata.changed(s.fcb.netRoot, s.fcb.path());
    if (effective instanceof SetInfo.Rename rn) {
      rdr.metadata.changed(s.fcb.netRoot, rn.newPath());
    }
    switch (effective) {
      case SetInfo.Rename rn -> {
        // the FCB leaves the table: a new open of either name gets another FCB, so this one
        // caches no more
        rdr.dataCache.disable(ctx, s.fcb);
        renamed(s);
      }
      case SetInfo.Disposition d when d.deleteFile() -> {
        s.setFlag(SrvOpen.FLAG_FILE_DELETED);
        s.fcb.setState(Fcb.STATE_DELETE_ON_CLOSE);
      }
      case SetInfo.Disposition d -> {
        s.clearFlag(SrvOpen.FLAG_FILE_DELETED);
        s.fcb.clearState(Fcb.STATE_DELETE_ON_CLOSE);
      }
      default -> {}
    }
  }

  /** After a rename the FCB no longer names its file: remove it from the table. */
  private void renamed(SrvOpen s) {
    Fcb fcb = s.fcb;
    FcbTable table = fcb.netRoot.fcbTable;
    table.lock().lockExclusive();
    try {
      fcb.resource.lockExclusive();
      try {
        s.setFlag(SrvOpen.FLAG_FILE_RENAMED);
        if ((fcb.state & Fcb.STATE_NAME_ALREADY_REMOVED) == 0) {
          table.remove(fcb);
          fcb.setState(Fcb.STATE_NAME_ALREADY_REMOVED);
        }
        fcb.clearState(Fcb.STATE_COLLAPSING_ENABLED);
      } finally {
        fcb.resource.unlockExclusive();
      }
    } finally {
      table.lock().unlockExclusive();
    }
  }

  List<FileInfo> queryDirectory(RxContext ctx, FileObject fo, String pattern) {
    SrvOpen s = fo.fobx().srvOpen;
    if (!s.fcb.isDirectory()) {
      throw new RxException(NtStatus.NOT_A_DIRECTORY, s.fcb.path());
    }
    String p = pattern == null || pattern.isEmpty() ? "*" : pattern;
    List<FileInfo> cached = rdr.metadata.listing(s.fcb.netRoot, s.fcb.path(), p);
    List<FileInfo> entries =
        run(
            ctx,
            fo,
            RxContext.MajorFunction.DIRECTORY_CONTROL,
            () ->
                cached != null
                    ? CompletableFuture.completedFuture(cached)
                    : s.miniRdr().queryDirectory(ctx, s, p));
    List<FileInfo> seen = rdr.dataCache.adjustListing(s.fcb.netRoot, s.fcb.path(), entries);
    if (cached == null) {
      // a listing from the server answers the stats of the names it returned (the Windows
      // redirector's FileInfoCache, filled by enumerations); a cached listing primes nothing, so
      // an entry never outlives the server's answer
      rdr.metadata.putListing(s.fcb.netRoot, s.fcb.path(), p, entries);
      rdr.metadata.primeAttributes(s.fcb.netRoot, s.fcb.path(), seen);
    }
    return seen;
  }

  List<ChangeEvent> notifyChangeDirectory(RxContext ctx, FileObject fo, boolean watchTree) {
    SrvOpen s = fo.fobx().srvOpen;
    if (!s.fcb.isDirectory()) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "change notify needs a directory");
    }
    List<ChangeEvent> events =
        run(
            ctx,
            fo,
            RxContext.MajorFunction.NOTIFY_CHANGE_DIRECTORY,
            () -> s.miniRdr().notifyChangeDirectory(ctx, s, watchTree));
    NetRoot n = s.fcb.netRoot;
    for (ChangeEvent e : events) {
      if (e.action() == ChangeEvent.Action.OVERFLOW) {
        rdr.metadata.forget(n);
      } else {
        String dir = s.fcb.path();
        rdr.metadata.changed(n, dir.isEmpty() ? e.name() : dir + "\\" + e.name());
      }
    }
    return events;
  }

  void lock(
      RxContext ctx,
      FileObject fo,
      long offset,
      long length,
      boolean exclusive,
      boolean failImmediately) {
    checkRange(offset, length);
    SrvOpen s = fo.fobx().srvOpen;
    if (!s.fcb.isDirectory()) {
      // byte-range locks are enforced by the server on each read and write: the file's data is
      // no longer cached, so every request reaches it
      rdr.dataCache.disable(ctx, s.fcb);
    }
    run(
        ctx,
        fo,
        RxContext.MajorFunction.LOCK_CONTROL,
        () -> s.miniRdr().lock(ctx, s, offset, length, exclusive, failImmediately));
    s.fcb.locks.granted(fo.fobx(), offset, length, exclusive);
  }

  void unlock(RxContext ctx, FileObject fo, long offset, long length) {
    checkRange(offset, length);
    SrvOpen s = fo.fobx().srvOpen;
    run(
        ctx,
        fo,
        RxContext.MajorFunction.LOCK_CONTROL,
        () -> s.miniRdr().unlock(ctx, s, offset, length));
    s.fcb.locks.released(fo.fobx(), offset, length);
  }

  void flush(RxContext ctx, FileObject fo) {
    SrvOpen s = fo.fobx().srvOpen;
    run(
        ctx,
        fo,
        RxContext.MajorFunction.FLUSH_BUFFERS,
        () -> {
          // the data held back first (RxFlushFcbInSystemCache), then the server's own flush
          rdr.dataCache.flush(ctx, s.fcb);
          return s.miniRdr().flush(ctx, s);
        });
  }

  /** MRxQueryVolumeInfo: {total, free} bytes of the V_NET_ROOT's share. */
  long[] queryVolume(RxContext ctx, VNetRoot v) {
    ctx.begin(RxContext.MajorFunction.QUERY_VOLUME_INFORMATION, v, null, "");
    try {
      return rdr.await(ctx, v.netRoot.srvCall.miniRdr.queryVolume(ctx, v));
    } finally {
      ctx.end();
    }
  }

  /** FileFsAttributeInformation's flags of the V_NET_ROOT's share. */
  int queryVolumeAttributes(RxContext ctx, VNetRoot v) {
    int known = v.volumeAttributes;
    if (known != -1) {
      return known; // a property of the tree connect: asked once per V_NET_ROOT
    }
    ctx.begin(RxContext.MajorFunction.QUERY_VOLUME_INFORMATION, v, null, "");
    try {
      int a = rdr.await(ctx, v.netRoot.srvCall.miniRdr.queryVolumeAttributes(ctx, v));
      v.volumeAttributes = a;
      return a;
    } finally {
      ctx.end();
    }
  }

  /**
   * Server-side copy, run as the target's request (FSCTL_SRV_COPYCHUNK_WRITE is an FSCTL on the
   * target handle). Cache coherence as RDBSS keeps it around a request that bypasses the cache: the
   * source's dirty pages are written so the server copies what callers wrote, and the target's
   * dirty pages are written before the copy (they would overwrite it later) and its clean pages
   * dropped after it.
   */
  long copyRange(
      RxContext ctx,
      FileObject source,
      long sourceOffset,
      FileObject target,
      long targetOffset,
      long length) {
    checkRange(sourceOffset, length);
    checkRange(targetOffset, length);
    SrvOpen src = source.fobx().srvOpen;
    SrvOpen dst = target.fobx().srvOpen;
    if (source.fobx().closed || source.fobx().cleanedUp) {
      throw new RxException(NtStatus.FILE_CLOSED, "source handle closed");
    }
    checkOrphan(src);
    if (src.fcb.netRoot != dst.fcb.netRoot) {
      throw new RxException(NtStatus.NOT_SAME_DEVICE, "a server-side copy stays within one share");
    }
    if (src.fcb.isDirectory() || dst.fcb.isDirectory()) {
      throw new RxException(NtStatus.FILE_IS_A_DIRECTORY, "a directory has no data to copy");
    }
    if (!FileAccess.reads(src.desiredAccess())) {
      throw new RxException(NtStatus.ACCESS_DENIED, "source handle not opened for reading");
    }
    if (!FileAccess.writes(dst.desiredAccess())) {
      throw new RxException(NtStatus.ACCESS_DENIED, "target handle not opened for writing");
    }
    if (length == 0) {
      return 0;
    }
    src.fcb.locks.check(source.fobx(), sourceOffset, length, false);
    dst.fcb.locks.check(target.fobx(), targetOffset, length, true);
    rdr.dataCache.flush(ctx, src.fcb);
    long n =
        rdr.dataCache.around(
            ctx,
            dst.fcb,
            true,
            () ->
                run(
                    ctx,
                    target,
                    RxContext.MajorFunction.DEVICE_CONTROL,
                    () ->
                        src.miniRdr()
                            .copyRange(ctx, src, sourceOffset, dst, targetOffset, length)));
    dst.fcb.info = null;
    rdr.metadata.changed(dst.fcb.netRoot, dst.fcb.path());
    return n;
  }

  private static void checkOffset(long offset) {
    if (offset < 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "negative offset");
    }
  }

  private static void checkRange(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length < 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "invalid byte range");
    }
  }
}
