package org.rdbss4j.smb;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
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
 * The SMB2/3 mini-redirector over smbj: shares on Samba, Windows and NAS servers.
 *
 * <table>
 *   <caption>RDBSS structures and what they hold here</caption>
 *   <tr><th>RDBSS</th><th>SMB</th></tr>
 *   <tr><td>SRV_CALL</td><td>one TCP connection per server and port, for every user and share
 *       ({@link SmbServer}); it stays open, dormant, after the last connection to the server is
 *       deleted, until the scavenger finalizes the SRV_CALL or the delete closes the
 *       transport</td></tr>
 *   <tr><td>NET_ROOT</td><td>the share</td></tr>
 *   <tr><td>V_NET_ROOT</td><td>the caller identity's session (SESSION_SETUP with the
 *       V_NET_ROOT's credentials) and a tree connect ({@link SmbView}); sessions are never shared
 *       between identities</td></tr>
 *   <tr><td>SRV_OPEN</td><td>an SMB2 file id ({@link SmbHandle})</td></tr>
 *   <tr><td>FOBX</td><td>the caller's handle; its byte-range locks are released at its
 *       cleanup</td></tr>
 * </table>
 *
 * <p>Server statuses pass through unchanged. When a server goes away, requests fail within their
 * timeout with CONNECTION_DISCONNECTED (or IO_TIMEOUT for the request that found the server not
 * answering), the SRV_CALL becomes Bad, and the next request connects again.
 *
 * <pre>{@code
 * SmbMiniRedirector smb = new SmbMiniRedirector(SmbOptions.defaults());
 * Redirector rdr = Redirector.start(RedirectorConfig.builder().miniRedirector(smb).build());
 * rdr.addConnection(ctx, "\\\\server\\share", "X:", new Credentials("alice", "", pw),
 *     ConnectOptions.defaults());
 * }</pre>
 */
public final class SmbMiniRedirector implements MiniRedirector {
  /** The SMB port used when a connection names none. */
  public static final int DEFAULT_PORT = 445;

  private final SmbOptions options;
  private final SmbStats stats = new SmbStats();

  public SmbMiniRedirector(SmbOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public SmbOptions options() {
    return options;
  }

  /** Requests sent and leases granted and broken, since this mini-redirector was made. */
  public SmbStats stats() {
    return stats;
  }

  @Override
  public String name() {
    return "smb";
  }

  /** Claims the configured server names on any port; every name when none are configured. */
  @Override
  public boolean claimsServer(String serverName, int port) {
    return options.claims(serverName);
  }

  /** MRxCreateSrvCall: connects and negotiates (port 445 unless the connection names one). */
  @Override
  public CompletableFuture<Void> createSrvCall(SrvCall srvCall) {
    SmbServer server = new SmbServer(srvCall, options, stats, DEFAULT_PORT);
    srvCall.setContext(server);
    return Exchange.run(
        null,
        "connect to " + srvCall.serverName(),
        ex -> {
          server.transport();
          return null;
        });
  }

  /** SMB servers compare share and file names without case, as Windows does. */
  @Override
  public NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean thisMinirdrIsTheWinner) {
    srvCall.setFlags(
        srvCall.flags()
            | SrvCall.FLAG_CASE_INSENSITIVE_NETROOTS
            | SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES);
    return NtStatus.SUCCESS;
  }

  /**
   * MRxCreateVNetRoot: the session and the tree connect. A share the server does not have fails
   * both the NET_ROOT and the V_NET_ROOT (BAD_NETWORK_NAME); a logon or access failure only the
   * V_NET_ROOT (LOGON_FAILURE, ACCESS_DENIED); a server status without an {@link NtStatus} constant
   * travels as the future's exception, code unchanged.
   */
  @Override
  public CompletableFuture<VNetRootResult> createVNetRoot(RxContext ctx, VNetRoot vNetRoot) {
    if (!(vNetRoot.netRoot().srvCall().context() instanceof SmbServer server)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.CONNECTION_DISCONNECTED, "no connection to the server"));
    }
    SmbView view = new SmbView(server, vNetRoot);
    vNetRoot.setContext(view);
    return Exchange.run(
        null,
        "connect " + vNetRoot.uncName(),
        ex -> {
          try {
            view.bind();
          } catch (RxException e) {
            return result(e);
          }
          vNetRoot.netRoot().setType(NetRoot.Type.DISK);
          return VNetRootResult.SUCCESS;
        });
  }

  private static VNetRootResult result(RxException e) {
    NtStatus st = NtStatus.fromCode(e.code());
    if (st == null) {
      throw e;
    }
    return switch (st) {
      case BAD_NETWORK_NAME,
          BAD_NETWORK_PATH,
          CONNECTION_DISCONNECTED,
          CONNECTION_REFUSED,
          IO_TIMEOUT,
          NOT_SUPPORTED ->
          new VNetRootResult(st, st);
      default -> new VNetRootResult(NtStatus.SUCCESS, st);
    };
  }

  /**
   * MRxFinalizeVNetRoot: the tree connect goes (when the last view of it goes), the session stays.
   */
  @Override
  public void finalizeVNetRoot(VNetRoot vNetRoot, boolean force) {
    if (vNetRoot.context() instanceof SmbView view) {
      view.release();
    }
    vNetRoot.setContext(null);
  }

  @Override
  public void finalizeNetRoot(NetRoot netRoot, boolean force) {
    netRoot.setContext(null);
  }

  /** MRxFinalizeSrvCall: logs every session off and closes the connection. */
  @Override
  public void finalizeSrvCall(SrvCall srvCall, boolean force) {
    if (srvCall.context() instanceof SmbServer server) {
      server.close();
    }
    srvCall.setContext(null);
  }

  @Override
  public CompletableFuture<CreateResult> create(RxContext ctx, SrvOpen srvOpen) {
    if (!(srvOpen.vNetRoot().context() instanceof SmbView view)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.NETWORK_NAME_DELETED, "the connection is gone"));
    }
    return HandleOps.create(ctx, view, srvOpen);
  }

  /**
   * Refuses to collapse onto a handle that is closed, was lost with its connection, or holds
   * byte-range locks (SMB2 locks belong to the handle, so a second open on it would share them).
   */
  @Override
  public NtStatus shouldTryToCollapseThisOpen(RxContext ctx, SrvOpen candidate) {
    if (!(candidate.context() instanceof SmbHandle h) || h.isClosed()) {
      return NtStatus.FILE_CLOSED;
    }
    if (h.isLost()) {
      return NtStatus.CONNECTION_DISCONNECTED;
    }
    return h.hasLocks() ? NtStatus.FILE_LOCK_CONFLICT : NtStatus.SUCCESS;
  }

  @Override
  public void cleanupFobx(Fobx fobx) {
    if (fobx.srvOpen().context() instanceof SmbHandle h) {
      WaitingOps.releaseLocks(h, fobx);
    }
  }

  @Override
  public CompletableFuture<Void> closeSrvOpen(SrvOpen srvOpen) {
    return srvOpen.context() instanceof SmbHandle h
        ? HandleOps.close(h)
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public void forceClosed(SrvOpen srvOpen) {
    if (srvOpen.context() instanceof SmbHandle h) {
      HandleOps.close(h);
    }
  }

  @Override
  public CompletableFuture<Integer> read(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer dst) {
    return on(srvOpen, h -> DataTransfer.read(ctx, h, offset, dst));
  }

  @Override
  public CompletableFuture<Integer> write(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer src) {
    return on(srvOpen, h -> DataTransfer.write(ctx, h, offset, src));
  }

  @Override
  public CompletableFuture<FileInfo> queryInformation(RxContext ctx, SrvOpen srvOpen) {
    return on(srvOpen, h -> HandleOps.queryInformation(ctx, h));
  }

  @Override
  public CompletableFuture<Void> setInformation(RxContext ctx, SrvOpen srvOpen, SetInfo info) {
    return on(srvOpen, h -> HandleOps.setInformation(ctx, h, info));
  }

  @Override
  public CompletableFuture<List<FileInfo>> queryDirectory(
      RxContext ctx, SrvOpen srvOpen, String pattern) {
    return on(srvOpen, h -> HandleOps.queryDirectory(ctx, h, pattern));
  }

  @Override
  public CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SrvOpen srvOpen, boolean watchTree) {
    return on(srvOpen, h -> WaitingOps.notifyChangeDirectory(ctx, h, watchTree));
  }

  @Override
  public CompletableFuture<Void> lock(
      RxContext ctx,
      SrvOpen srvOpen,
      long offset,
      long length,
      boolean exclusive,
      boolean failImmediately) {
    Object owner = ctx.fobx() != null ? ctx.fobx() : srvOpen;
    boolean failNow = failImmediately || !ctx.mayWait();
    return on(srvOpen, h -> WaitingOps.lock(ctx, h, owner, offset, length, exclusive, failNow));
  }

  @Override
  public CompletableFuture<Void> unlock(RxContext ctx, SrvOpen srvOpen, long offset, long length) {
    Object owner = ctx.fobx() != null ? ctx.fobx() : srvOpen;
    return on(srvOpen, h -> WaitingOps.unlock(ctx, h, owner, offset, length));
  }

  @Override
  public CompletableFuture<Void> completeWrites(RxContext ctx, SrvOpen srvOpen) {
    // an open without a server handle (not created yet, or failed) sent nothing
    return srvOpen.context() instanceof SmbHandle h
        ? DataTransfer.completeWrites(ctx, h)
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> flush(RxContext ctx, SrvOpen srvOpen) {
    return on(srvOpen, h -> HandleOps.flush(ctx, h));
  }

  @Override
  public CompletableFuture<long[]> queryVolume(RxContext ctx, VNetRoot vNetRoot) {
    if (!(vNetRoot.context() instanceof SmbView view)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.NETWORK_NAME_DELETED, "the connection is gone"));
    }
    return HandleOps.queryVolume(ctx, view);
  }

  @Override
  public CompletableFuture<Integer> queryVolumeAttributes(RxContext ctx, VNetRoot vNetRoot) {
    if (!(vNetRoot.context() instanceof SmbView view)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.NETWORK_NAME_DELETED, "the connection is gone"));
    }
    return FsctlOps.queryVolumeAttributes(ctx, view);
  }

  /** Server-side copy with FSCTL_SRV_COPYCHUNK_WRITE ({@link FsctlOps#copyRange}). */
  @Override
  public CompletableFuture<Long> copyRange(
      RxContext ctx,
      SrvOpen source,
      long sourceOffset,
      SrvOpen target,
      long targetOffset,
      long length) {
    if (!(target.context() instanceof SmbHandle t)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.FILE_CLOSED, "no server handle for " + target));
    }
    return on(source, s -> FsctlOps.copyRange(ctx, s, sourceOffset, t, targetOffset, length));
  }

  private static <T> CompletableFuture<T> on(
      SrvOpen srvOpen, Function<SmbHandle, CompletableFuture<T>> op) {
    if (!(srvOpen.context() instanceof SmbHandle h)) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.FILE_CLOSED, "no server handle for " + srvOpen));
    }
    return op.apply(h);
  }

  @Override
  public String toString() {
    return "SmbMiniRedirector" + options;
  }
}
