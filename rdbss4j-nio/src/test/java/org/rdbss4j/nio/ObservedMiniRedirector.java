package org.rdbss4j.nio;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.Fobx;
import org.rdbss4j.core.MiniRedirector;
import org.rdbss4j.core.NetRoot;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.SrvOpen;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.core.VNetRootResult;

/**
 * A mini-redirector that passes every call to another and lets a test observe and bend change
 * notifications and flushes: it counts the notify requests it receives and, when asked, reports the
 * next batch as the server's OVERFLOW (STATUS_NOTIFY_ENUM_DIR), and fails flushes with DISK_FULL.
 * It also counts information queries, directory listings, reads, writes and server-side copies, and
 * can refuse copies as NOT_SUPPORTED (as a mini-redirector without one does).
 */
final class ObservedMiniRedirector implements MiniRedirector {
  private final MiniRedirector inner;
  final AtomicInteger notifyRequests = new AtomicInteger();
  final AtomicBoolean overflowNext = new AtomicBoolean();
  final AtomicBoolean failFlush = new AtomicBoolean();
  final AtomicInteger reads = new AtomicInteger();

  /** The length asked by every read, in order. */
  final java.util.List<Integer> readSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

  final AtomicInteger writes = new AtomicInteger();
  final AtomicInteger copies = new AtomicInteger();
  final AtomicInteger volumeAttributeQueries = new AtomicInteger();
  final AtomicBoolean refuseCopies = new AtomicBoolean();
  final AtomicInteger queryInfos = new AtomicInteger();
  final AtomicInteger listings = new AtomicInteger();

  ObservedMiniRedirector(MiniRedirector inner) {
    this.inner = inner;
  }

  @Override
  public CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SrvOpen srvOpen, boolean watchTree) {
    notifyRequests.incrementAndGet();
    return inner
        .notifyChangeDirectory(ctx, srvOpen, watchTree)
        .thenApply(
            events ->
                overflowNext.getAndSet(false)
                    ? List.of(new ChangeEvent(ChangeEvent.Action.OVERFLOW, ""))
                    : events);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public boolean claimsServer(String serverName, int port) {
    return inner.claimsServer(serverName, port);
  }

  @Override
  public String extractNetRootName(String pathAfterServer) {
    return inner.extractNetRootName(pathAfterServer);
  }

  @Override
  public CompletableFuture<Void> collapseOpen(RxContext ctx, SrvOpen srvOpen) {
    return inner.collapseOpen(ctx, srvOpen);
  }

  @Override
  public void deallocateForFcb(org.rdbss4j.core.Fcb fcb) {
    inner.deallocateForFcb(fcb);
  }

  @Override
  public void deallocateForFobx(Fobx fobx) {
    inner.deallocateForFobx(fobx);
  }

  @Override
  public CompletableFuture<Void> createSrvCall(SrvCall srvCall) {
    return inner.createSrvCall(srvCall);
  }

  @Override
  public NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean winner) {
    return inner.srvCallWinnerNotify(srvCall, winner);
  }

  @Override
  public CompletableFuture<VNetRootResult> createVNetRoot(RxContext ctx, VNetRoot vNetRoot) {
    return inner.createVNetRoot(ctx, vNetRoot);
  }

  @Override
  public void finalizeVNetRoot(VNetRoot vNetRoot, boolean force) {
    inner.finalizeVNetRoot(vNetRoot, force);
  }

  @Override
  public void finalizeNetRoot(NetRoot netRoot, boolean force) {
    inner.finalizeNetRoot(netRoot, force);
  }

  @Override
  public void finalizeSrvCall(SrvCall srvCall, boolean force) {
    inner.finalizeSrvCall(srvCall, force);
  }

  @Override
  public CompletableFuture<CreateResult> create(RxContext ctx, SrvOpen srvOpen) {
    return inner.create(ctx, srvOpen);
  }

  @Override
  public NtStatus shouldTryToCollapseThisOpen(RxContext ctx, SrvOpen candidate) {
    return inner.shouldTryToCollapseThisOpen(ctx, candidate);
  }

  @Override
  public void cleanupFobx(Fobx fobx) {
    inner.cleanupFobx(fobx);
  }

  @Override
  public CompletableFuture<Void> closeSrvOpen(SrvOpen srvOpen) {
    return inner.closeSrvOpen(srvOpen);
  }

  @Override
  public void forceClosed(SrvOpen srvOpen) {
    inner.forceClosed(srvOpen);
  }

  @Override
  public CompletableFuture<Integer> read(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer dst) {
    reads.incrementAndGet();
    readSizes.add(dst.remaining());
    return inner.read(ctx, srvOpen, offset, dst);
  }

  @Override
  public CompletableFuture<Integer> write(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer src) {
    writes.incrementAndGet();
    return inner.write(ctx, srvOpen, offset, src);
  }

  @Override
  public CompletableFuture<FileInfo> queryInformation(RxContext ctx, SrvOpen srvOpen) {
    queryInfos.incrementAndGet();
    return inner.queryInformation(ctx, srvOpen);
  }

  @Override
  public CompletableFuture<Void> setInformation(RxContext ctx, SrvOpen srvOpen, SetInfo info) {
    return inner.setInformation(ctx, srvOpen, info);
  }

  @Override
  public CompletableFuture<List<FileInfo>> queryDirectory(
      RxContext ctx, SrvOpen srvOpen, String pattern) {
    listings.incrementAndGet();
    return inner.queryDirectory(ctx, srvOpen, pattern);
  }

  @Override
  public CompletableFuture<Void> lock(
      RxContext ctx, SrvOpen srvOpen, long offset, long length, boolean excl, boolean failNow) {
    return inner.lock(ctx, srvOpen, offset, length, excl, failNow);
  }

  @Override
  public CompletableFuture<Void> unlock(RxContext ctx, SrvOpen srvOpen, long offset, long length) {
    return inner.unlock(ctx, srvOpen, offset, length);
  }

  @Override
  public CompletableFuture<Void> flush(RxContext ctx, SrvOpen srvOpen) {
    if (failFlush.get()) {
      return CompletableFuture.failedFuture(new RxException(NtStatus.DISK_FULL, "test"));
    }
    return inner.flush(ctx, srvOpen);
  }

  @Override
  public CompletableFuture<Void> completeWrites(RxContext ctx, SrvOpen srvOpen) {
    return inner.completeWrites(ctx, srvOpen);
  }

  @Override
  public CompletableFuture<long[]> queryVolume(RxContext ctx, VNetRoot vNetRoot) {
    return inner.queryVolume(ctx, vNetRoot);
  }

  @Override
  public CompletableFuture<Integer> queryVolumeAttributes(RxContext ctx, VNetRoot vNetRoot) {
    volumeAttributeQueries.incrementAndGet();
    return inner.queryVolumeAttributes(ctx, vNetRoot);
  }

  @Override
  public CompletableFuture<Long> copyRange(
      RxContext ctx, SrvOpen source, long srcOffset, SrvOpen target, long dstOffset, long length) {
    if (refuseCopies.get()) {
      return CompletableFuture.failedFuture(new RxException(NtStatus.NOT_SUPPORTED, "test"));
    }
    copies.incrementAndGet();
    return inner.copyRange(ctx, source, srcOffset, target, dstOffset, length);
  }
}
