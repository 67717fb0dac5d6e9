package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mini-redirector SPI: the MRx* dispatch table of RDBSS (MINIRDR_DISPATCH).
 *
 * <p>Calls RDBSS makes asynchronous (they return PENDING and complete through a callback) return a
 * {@link CompletableFuture} here. The core never holds the prefix table lock while such a call
 * runs. An operation that can be outstanding for long (change notify, a blocking lock, reads and
 * writes on a slow server) should install a cancel routine on its {@link RxContext} with {@link
 * RxContext#setCancelRoutine(Runnable)} so that a forced {@code RxFinalizeConnection} can cancel
 * it; the core then fails the request with STATUS_CANCELLED.
 *
 * <p>A mini-redirector sees only this interface and the objects it is handed; it keeps its own
 * state in the objects' {@link RxNode#context()} slots.
 */
public interface MiniRedirector {

  /** A short name, for status displays ("local", "smb"). */
  String name();

  /**
   * Whether this mini-redirector claims a server name (the MUP prefix resolution). The redirector
   * offers a name to its mini-redirectors in provider order; the first claim wins.
   */
  boolean claimsServer(String serverName, int port);

  /**
   * MRxExtractNetRootName: splits the part of a path after the server into the share name and the
   * rest. The default takes the first component as the share.
   */
  default String extractNetRootName(String pathAfterServer) {
    int i = pathAfterServer.indexOf('\\');
    return i < 0 ? pathAfterServer : pathAfterServer.substring(0, i);
  }

  /** MRxCreateSrvCall: connects the transport to the server. */
  CompletableFuture<Void> createSrvCall(SrvCall srvCall);

  /**
   * MRxSrvCallWinnerNotify: this mini-redirector won the SRV_CALL; store contexts and set flags
   * (case sensitivity, delayed-close cap).
   */
  default NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean thisMinirdrIsTheWinner) {
    return NtStatus.SUCCESS;
  }

  /**
   * MRxCreateVNetRoot: establishes the identity's session and the share (a tree connect). The
   * NET_ROOT is new when its {@link RxNode#context()} is still {@code null}.
   */
  CompletableFuture<VNetRootResult> createVNetRoot(RxContext ctx, VNetRoot vNetRoot);

  /** MRxFinalizeVNetRoot: the V_NET_ROOT is about to be freed (return value ignored). */
  void finalizeVNetRoot(VNetRoot vNetRoot, boolean force);

  /** MRxFinalizeNetRoot: the share's last V_NET_ROOT is gone. */
  void finalizeNetRoot(NetRoot netRoot, boolean force);

  /** MRxFinalizeSrvCall: close the transport. */
  void finalizeSrvCall(SrvCall srvCall, boolean force);

  /**
   * MRxCreate: opens (or creates) the file on the server for this SRV_OPEN. The result's
   * information must be the server's current times, sizes and attributes; the file id and the name
   * may come from {@link SrvOpen#knownInformation()} when the create reply lacks them.
   */
  CompletableFuture<CreateResult> create(RxContext ctx, SrvOpen srvOpen);

  /**
   * MRxShouldTryToCollapseThisOpen: whether an open may reuse the existing SRV_OPEN. {@link
   * NtStatus#SUCCESS} allows it; anything else (MORE_PROCESSING_REQUIRED in RDBSS) refuses.
   */
  default NtStatus shouldTryToCollapseThisOpen(RxContext ctx, SrvOpen candidate) {
    return NtStatus.SUCCESS;
  }

  /** MRxCollapseOpen: an open was collapsed onto an existing SRV_OPEN. */
  default CompletableFuture<Void> collapseOpen(RxContext ctx, SrvOpen srvOpen) {
    return CompletableFuture.completedFuture(null);
  }

  /** MRxCleanupFobx: the caller's last handle of this open was cleaned up. */
  default void cleanupFobx(Fobx fobx) {}

  /** MRxCloseSrvOpen: closes the server handle (also for a delayed close). */
  CompletableFuture<Void> closeSrvOpen(SrvOpen srvOpen);

  /** MRxForceClosed: the SRV_OPEN is being finalized while not Good or closed. */
  default void forceClosed(SrvOpen srvOpen) {}

  /** MRxDeallocateForFcb. */
  default void deallocateForFcb(Fcb fcb) {}

  /** MRxDeallocateForFobx. */
  default void deallocateForFobx(Fobx fobx) {}

  /**
   * MRxRead (LOWIO_OP_READ): reads into {@code dst} from its position, advancing it past the bytes
   * read, as {@link java.nio.channels.FileChannel#read(ByteBuffer, long)} does; -1 at end of file.
   */
  CompletableFuture<Integer> read(RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer dst);

  /**
   * MRxWrite (LOWIO_OP_WRITE): writes all of {@code src} from its position, advancing it to its
   * limit; returns the bytes written.
   */
  CompletableFuture<Integer> write(RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer src);

  /**
   * Confirms writes the mini-redirector completed before the server answered them (write-behind of
   * large writes under a write-caching grant, whose data was already handed to the transport):
   * waits for the answers and fails with the first failure among them. The core calls it wherever
   * the file's data must be on the server: flush, close, a break, disabling the cache, requests
   * that go around the cache, finalization. By default writes complete when the server answered.
   */
  default CompletableFuture<Void> completeWrites(RxContext ctx, SrvOpen srvOpen) {
    return CompletableFuture.completedFuture(null);
  }

  /** MRxQueryFileInfo. */
  CompletableFuture<FileInfo> queryInformation(RxContext ctx, SrvOpen srvOpen);

  /** MRxSetFileInfo. */
  CompletableFuture<Void> setInformation(RxContext ctx, SrvOpen srvOpen, SetInfo info);

  /**
   * MRxQueryDirectory: the entries of the directory open on {@code srvOpen} whose names match the
   * pattern ({@code *} for all; {@code ?} and {@code *} wildcards, case-insensitive).
   */
  CompletableFuture<List<FileInfo>> queryDirectory(RxContext ctx, SrvOpen srvOpen, String pattern);

  /**
   * MRxLowIOSubmit[NOTIFY_CHANGE_DIRECTORY]: completes with the next batch of changes below the
   * directory. Must install a cancel routine; a cancelled notify completes with CANCELLED.
   */
  CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SrvOpen srvOpen, boolean watchTree);

  /** MRxLowIOSubmit[LOWIO_OP_SHAREDLOCK / EXCLUSIVELOCK]. */
  CompletableFuture<Void> lock(
      RxContext ctx,
      SrvOpen srvOpen,
      long offset,
      long length,
      boolean exclusive,
      boolean failImmediately);

  /** MRxLowIOSubmit[LOWIO_OP_UNLOCK]. */
  CompletableFuture<Void> unlock(RxContext ctx, SrvOpen srvOpen, long offset, long length);

  /** MRxFlush. */
  CompletableFuture<Void> flush(RxContext ctx, SrvOpen srvOpen);

  /** Free space of the share: {total, free} bytes (MRxQueryVolumeInfo). */
  default CompletableFuture<long[]> queryVolume(RxContext ctx, VNetRoot vNetRoot) {
    return CompletableFuture.failedFuture(
        new RxException(NtStatus.NOT_SUPPORTED, "volume information"));
  }

  /**
   * FileFsAttributeInformation of the share: its FileSystemAttributes flags ({@link
   * VolumeAttributes}), such as FILE_READ_ONLY_VOLUME for a read-only share.
   */
  default CompletableFuture<Integer> queryVolumeAttributes(RxContext ctx, VNetRoot vNetRoot) {
    return CompletableFuture.failedFuture(
        new RxException(NtStatus.NOT_SUPPORTED, "volume attributes"));
  }

  /**
   * Server-side copy (SMB2 FSCTL_SRV_COPYCHUNK_WRITE): copies up to {@code length} bytes of the
   * file open on {@code source} from {@code sourceOffset} into the file open on {@code target} at
   * {@code targetOffset}, without the data passing through the client. Both opens are on the same
   * NET_ROOT; {@code source} was opened for reading and {@code target} for writing. The copy stops
   * at the source's end of file; the result is the number of bytes copied. The default is
   * NOT_SUPPORTED, on which a caller copies through the client.
   */
  default CompletableFuture<Long> copyRange(
      RxContext ctx,
      SrvOpen source,
      long sourceOffset,
      SrvOpen target,
      long targetOffset,
      long length) {
    return CompletableFuture.failedFuture(
        new RxException(NtStatus.NOT_SUPPORTED, "server-side copy"));
  }
}
