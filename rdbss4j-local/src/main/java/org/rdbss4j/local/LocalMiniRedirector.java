package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.FILE_APPEND_DATA;
import static org.rdbss4j.core.FileAccess.FILE_READ_DATA;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.rdbss4j.core.Buffering;
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
import org.rdbss4j.core.VolumeAttributes;

/**
 * The local mini-redirector: shares that are local directories, served under the server names it
 * claims ({@code \\local} by default) with no server process. The embedded default of rdbss4j.
 *
 * <p>It behaves as a Windows file server on a case-insensitive share: names resolve
 * case-insensitively, symbolic links cannot lead out of a share, sharing modes and byte-range locks
 * hold among all handles of a file across every user's connection, a delete takes effect when the
 * file's last handle closes, and change notifications come from the file system (inotify on Linux).
 * Reads, writes, queries and sets complete synchronously; change notifications and waiting locks
 * complete later and can be cancelled.
 *
 * <pre>{@code
 * LocalMiniRedirector local = new LocalMiniRedirector(
 *     LocalConfig.builder().share("docs", Path.of("/srv/docs")).build());
 * Redirector rdr = Redirector.start(RedirectorConfig.builder().miniRedirector(local).build());
 * // \\local\docs\readme.txt is /srv/docs/readme.txt
 * }</pre>
 */
public final class LocalMiniRedirector implements MiniRedirector {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LocalMiniRedirector.class);
  private final LocalConfig config;
  private final ShareAccessTable table = new ShareAccessTable();
  private final WatchHub hub = new WatchHub();
  private final Opener opener = new Opener(table);
  private final InfoOps infoOps = new InfoOps(table);
  private final Object shareLock = new Object();

  public LocalMiniRedirector(LocalConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The configuration this mini-redirector serves. */
  public LocalConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "local";
  }

  /** Claims the configured server names (case-insensitive), on the default port only. */
  @Override
  public boolean claimsServer(String serverName, int port) {
    return port == 0 && config.claims(serverName);
  }

  @Override
  public CompletableFuture<Void> createSrvCall(SrvCall srvCall) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean thisMinirdrIsTheWinner) {
    if (thisMinirdrIsTheWinner) {
      srvCall.setFlags(
          srvCall.flags()
              | SrvCall.FLAG_CASE_INSENSITIVE_NETROOTS
              | SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES);
    }
    return NtStatus.SUCCESS;
  }

  /**
   * The tree connect: BAD_NETWORK_NAME for an unknown share or a missing directory; ACCESS_DENIED
   * for the V_NET_ROOT of a user the share does not allow (the credentials' user when given, else
   * the caller identity's).
   */
  @Override
  public CompletableFuture<VNetRootResult> createVNetRoot(RxContext ctx, VNetRoot vNetRoot) {
    NetRoot netRoot = vNetRoot.netRoot();
    Optional<LocalConfig.Share> share = config.share(netRoot.shareName());
    if (share.isEmpty()) {
      return badName();
    }
    ShareRoot root;
    synchronized (shareLock) {
      if (netRoot.context() instanceof ShareRoot r) {
        root = r;
      } else {
        try {
          root = ShareRoot.open(share.get());
        } catch (IOException e) {
          return badName();
        }
        netRoot.setType(NetRoot.Type.DISK);
        netRoot.setContext(root);
      }
    }
    String user = vNetRoot.credentials().userName();
    if (user.isEmpty()) {
      user = vNetRoot.identity().userName();
    }
    if (!root.share().allows(user)) {
      return CompletableFuture.completedFuture(
          new VNetRootResult(NtStatus.SUCCESS, NtStatus.ACCESS_DENIED));
    }
    vNetRoot.setContext(root);
    return CompletableFuture.completedFuture(VNetRootResult.SUCCESS);
  }

  private static CompletableFuture<VNetRootResult> badName() {
    return CompletableFuture.completedFuture(
        new VNetRootResult(NtStatus.BAD_NETWORK_NAME, NtStatus.BAD_NETWORK_NAME));
  }

  @Override
  public void finalizeVNetRoot(VNetRoot vNetRoot, boolean force) {
    vNetRoot.setContext(null);
  }

  @Override
  public void finalizeNetRoot(NetRoot netRoot, boolean force) {
    netRoot.setContext(null);
  }

  @Override
  public void finalizeSrvCall(SrvCall srvCall, boolean force) {}

  @Override
  public CompletableFuture<CreateResult> create(RxContext ctx, SrvOpen srvOpen) {
    return ErrorMapping.complete(
        () -> {
          Opener.Opened o = opener.open(shareOf(srvOpen), srvOpen.request());
          LocalHandle h = o.handle();
          srvOpen.setContext(h);
          h.srvOpen = srvOpen;
          if (!h.isDirectory()) {
            h.node.remember();
          }
          CreateResult r = o.result();
          return new CreateResult(r.action(), r.info(), grant(h, srvOpen));
        });
  }

  /**
   * The caching granted to a new open: HANDLE always (a handle kept in deferred close never makes
   * another open fail, as the core purges its delayed closes and retries on a sharing violation);
   * READ and WRITE for a file whose every handle is through the same FCB, so that all of them share
   * one cache. An open through another FCB (another server name or share for the same directory)
   * that reads or writes data first breaks the READ and WRITE grants of the file's other handles,
   * as an SMB server breaks oplocks, and waits for their dirty pages to be written.
   */
  private java.util.Set<Buffering> grant(LocalHandle h, SrvOpen srvOpen) {
    if (h.isDirectory()) {
      return java.util.Set.of(Buffering.HANDLE);
    }
    boolean alone = true;
    java.util.List<SrvOpen> toBreak = new java.util.ArrayList<>();
    boolean usesData = ShareAccessTable.usesData(h.access);
    table.lock().lock();
    try {
      for (LocalHandle o : h.node.handles) {
        SrvOpen other = o.srvOpen;
        if (o == h || other == null || other.fcb() == srvOpen.fcb()) {
          continue;
        }
        alone = false;
        if (usesData
            && (other.buffering().contains(Buffering.READ)
                || other.buffering().contains(Buffering.WRITE))) {
          toBreak.add(other);
        }
      }
    } finally {
      table.lock().unlock();
    }
    for (SrvOpen other : toBreak) {
      java.util.Set<Buffering> kept = java.util.EnumSet.noneOf(Buffering.class);
      kept.addAll(other.buffering());
      kept.remove(Buffering.READ);
      kept.remove(Buffering.WRITE);
      try {
        other.indicateChangeOfBufferingState(kept).get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("breaking the caching of {} failed: {}", other, e.getMessage());
      }
    }
    return alone && config.dataCaching()
        ? java.util.Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE)
        : java.util.Set.of(Buffering.HANDLE);
  }

  /**
   * Refuses to collapse onto a handle that is still in use when its own sharing would refuse a
   * second open of its kind (RDBSS checks share access before collapsing), onto a file being
   * deleted and onto a file no longer there.
   */
  @Override
  public NtStatus shouldTryToCollapseThisOpen(RxContext ctx, SrvOpen candidate) {
    if (!(candidate.context() instanceof LocalHandle h)) {
      return NtStatus.FILE_CLOSED;
    }
    table.lock().lock();
    try {
      if (h.node.deletePending) {
        return NtStatus.DELETE_PENDING;
      }
    } finally {
      table.lock().unlock();
    }
    if (candidate.openCount() > 0
        && ShareAccessTable.conflicts(h.access, h.shareAccess, h.access, h.shareAccess)) {
      return NtStatus.SHARING_VIOLATION;
    }
    if (!Files.exists(h.path(), LinkOption.NOFOLLOW_LINKS)) {
      return NtStatus.OBJECT_NAME_NOT_FOUND;
    }
    return NtStatus.SUCCESS;
  }

  /**
   * An open reuses a kept handle: if the file changed on disk since this mini-redirector last
   * changed it (another process wrote it), the handle's READ and WRITE caching is broken first so
   * that the open does not see stale cached pages (close-to-open consistency).
   */
  @Override
  public CompletableFuture<Void> collapseOpen(RxContext ctx, SrvOpen srvOpen) {
    if (srvOpen.context() instanceof LocalHandle h
        && !h.isDirectory()
        && (srvOpen.buffering().contains(Buffering.READ)
            || srvOpen.buffering().contains(Buffering.WRITE))
        && !h.node.unchangedSinceRemembered()) {
      return srvOpen.indicateChangeOfBufferingState(java.util.Set.of(Buffering.HANDLE));
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Releases the byte-range locks the cleaned-up handle (FOBX) holds. */
  @Override
  public void cleanupFobx(Fobx fobx) {
    if (fobx.srvOpen().context() instanceof LocalHandle h) {
      h.node.locks.releaseOwner(fobx);
    }
  }

  @Override
  public CompletableFuture<Void> closeSrvOpen(SrvOpen srvOpen) {
    closeHandle(srvOpen);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void forceClosed(SrvOpen srvOpen) {
    closeHandle(srvOpen);
  }

  private void closeHandle(SrvOpen srvOpen) {
    if (srvOpen.context() instanceof LocalHandle h) {
      srvOpen.setContext(null);
      opener.close(h);
    }
  }

  @Override
  public CompletableFuture<Integer> read(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer dst) {
    return ErrorMapping.complete(() -> handle(srvOpen).read(owner(ctx, srvOpen), offset, dst));
  }

  @Override
  public CompletableFuture<Integer> write(
      RxContext ctx, SrvOpen srvOpen, long offset, ByteBuffer src) {
    return ErrorMapping.complete(() -> handle(srvOpen).write(owner(ctx, srvOpen), offset, src));
  }

  @Override
  public CompletableFuture<FileInfo> queryInformation(RxContext ctx, SrvOpen srvOpen) {
    return ErrorMapping.complete(() -> infoOps.query(handle(srvOpen)));
  }

  @Override
  public CompletableFuture<Void> setInformation(RxContext ctx, SrvOpen srvOpen, SetInfo info) {
    return ErrorMapping.complete(
        () -> {
          infoOps.set(handle(srvOpen), info);
          return null;
        });
  }

  @Override
  public CompletableFuture<List<FileInfo>> queryDirectory(
      RxContext ctx, SrvOpen srvOpen, String pattern) {
    return ErrorMapping.complete(() -> infoOps.list(handle(srvOpen), pattern));
  }

  @Override
  public CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SrvOpen srvOpen, boolean watchTree) {
    try {
      LocalHandle h = handle(srvOpen);
      if (!h.isDirectory()) {
        throw new RxException(NtStatus.INVALID_PARAMETER, "change notify needs a directory");
      }
      return h.watcher(hub, watchTree).next(ctx);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(ErrorMapping.toRx(e));
    }
  }

  @Override
  public CompletableFuture<Void> lock(
      RxContext ctx,
      SrvOpen srvOpen,
      long offset,
      long length,
      boolean exclusive,
      boolean failImmediately) {
    try {
      LocalHandle h = lockable(srvOpen);
      ByteRangeLocks.Lock request =
          new ByteRangeLocks.Lock(owner(ctx, srvOpen), h, offset, length, exclusive);
      return h.node.locks.lock(ctx, request, failImmediately || !ctx.mayWait());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ErrorMapping.toRx(e));
    }
  }

  @Override
  public CompletableFuture<Void> unlock(RxContext ctx, SrvOpen srvOpen, long offset, long length) {
    return ErrorMapping.complete(
        () -> {
          lockable(srvOpen).node.locks.unlock(owner(ctx, srvOpen), offset, length);
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> flush(RxContext ctx, SrvOpen srvOpen) {
    return ErrorMapping.complete(
        () -> {
          handle(srvOpen).flush();
          return null;
        });
  }

  @Override
  public CompletableFuture<long[]> queryVolume(RxContext ctx, VNetRoot vNetRoot) {
    return ErrorMapping.complete(() -> InfoOps.volume(shareOf(vNetRoot)));
  }

  /**
   * FILE_CASE_PRESERVED_NAMES and FILE_UNICODE_ON_DISK, and FILE_READ_ONLY_VOLUME for a read-only
   * share.
   */
  @Override
  public CompletableFuture<Integer> queryVolumeAttributes(RxContext ctx, VNetRoot vNetRoot) {
    return ErrorMapping.complete(
        () ->
            VolumeAttributes.FILE_CASE_PRESERVED_NAMES
                | VolumeAttributes.FILE_UNICODE_ON_DISK
                | (shareOf(vNetRoot).readOnly() ? VolumeAttributes.FILE_READ_ONLY_VOLUME : 0));
  }

  /** Server-side copy with {@link java.nio.channels.FileChannel#transferTo}. */
  @Override
  public CompletableFuture<Long> copyRange(
      RxContext ctx,
      SrvOpen source,
      long sourceOffset,
      SrvOpen target,
      long targetOffset,
      long length) {
    return ErrorMapping.complete(
        () ->
            handle(source)
                .copyTo(
                    ownersOf(source),
                    owner(ctx, target),
                    sourceOffset,
                    handle(target),
                    targetOffset,
                    length));
  }

  private static LocalHandle handle(SrvOpen srvOpen) {
    if (srvOpen.context() instanceof LocalHandle h) {
      return h;
    }
    throw new RxException(NtStatus.FILE_CLOSED, "handle closed");
  }

  private static LocalHandle lockable(SrvOpen srvOpen) {
    LocalHandle h = handle(srvOpen);
    if (h.isDirectory()) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "a directory cannot be locked");
    }
    if ((h.access & (FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA)) == 0) {
      throw new RxException(NtStatus.ACCESS_DENIED, "locking needs read or write access");
    }
    return h;
  }

  /**
   * The lock owners of a handle the request does not run on (a server-side copy's source): its
   * FOBXs and the SRV_OPEN, as the server sees one handle's locks.
   */
  private static java.util.Set<Object> ownersOf(SrvOpen srvOpen) {
    java.util.Set<Object> owners = new java.util.HashSet<>(srvOpen.fobxs());
    owners.add(srvOpen);
    return owners;
  }

  /** The lock owner of a request: the caller's handle (FOBX), else the SRV_OPEN. */
  private static Object owner(RxContext ctx, SrvOpen srvOpen) {
    Fobx f = ctx.fobx();
    return f != null ? f : srvOpen;
  }

  private static ShareRoot shareOf(SrvOpen srvOpen) {
    return shareOf(srvOpen.vNetRoot());
  }

  private static ShareRoot shareOf(VNetRoot vNetRoot) {
    if (vNetRoot.context() instanceof ShareRoot r) {
      return r;
    }
    if (vNetRoot.netRoot().context() instanceof ShareRoot r) {
      return r;
    }
    throw new RxException(NtStatus.NETWORK_NAME_DELETED, "the share is no longer connected");
  }

  /** Whether no file is open and nothing is watched (for leak checks). */
  boolean isIdle() {
    table.lock().lock();
    try {
      return table.isEmpty() && hub.isIdle();
    } finally {
      table.lock().unlock();
    }
  }

  @Override
  public String toString() {
    return "LocalMiniRedirector" + config.serverNames() + " " + config.shares();
  }
}
