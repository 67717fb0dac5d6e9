package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The redirector: one RDBSS device with its prefix table, scavenger and mini-redirectors, and the
 * entry points of every request. Embed it in-process or run it in the {@code rdrd} service.
 *
 * <pre>{@code
 * try (Redirector rdr = Redirector.start(RedirectorConfig.builder().miniRedirector(m).build())) {
 *   RxContext ctx = RxContext.of(CallerIdentity.processUser());
 *   rdr.addConnection(ctx, "\\\\localhost\\share", "X:", Credentials.none(), ConnectOptions.defaults());
 *   try (FileObject f = rdr.create(ctx, "\\\\localhost\\share\\a.txt", CreateRequest.openRead("")) {
 *     ...
 *   }
 *   rdr.deleteConnection(ctx, "X:", ForceFilesClosed.FALSE, Set.of());
 * }
 * }</pre>
 */
public final class Redirector implements AutoCloseable {
  private final RedirectorConfig config;
  final PrefixTable prefixTable = new PrefixTable();
  final RefCounts refs = new RefCounts(this);
  final Scavenger scavenger = new Scavenger(this);
  final Finalization finalization = new Finalization(this);
  final Connections connections = new Connections(this);
  final FileOps fileOps = new FileOps(this);
  final IoOps ioOps = new IoOps(this);
  final ConnectionFinalizer connectionFinalizer = new ConnectionFinalizer(this);
  final BufferingOps bufferingOps = new BufferingOps(this);

  /** Every node not yet freed, for status displays and leak checks. */
  final Set<RxNode> live = ConcurrentHashMap.newKeySet();

  final List<java.util.function.Consumer<VNetRoot>> finalizedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  final MetadataCache metadata;

  final DataCache dataCache;

  final Workers workers = new Workers();
  private volatile boolean closed;

  private Redirector(RedirectorConfig config) {
    this.config = config;
    this.metadata = new MetadataCache(config);
    this.dataCache = new DataCache(this, config.dataCacheBudget(), config.dirtyWriteBackDelay());
  }

  /** The data cache (pages held under the servers' grants) and its figures. */
  public DataCache dataCache() {
    return dataCache;
  }

  /** The attribute, directory and not-found caches. */
  public MetadataCache metadataCache() {
    return metadata;
  }

  /** Creates a redirector and starts its scavenger. */
  public static Redirector start(RedirectorConfig config) {
    Redirector r = new Redirector(config);
    r.scavenger.start();
    r.dataCache.start();
    return r;
  }

  public RedirectorConfig config() {
    return config;
  }

  public PrefixTable prefixTable() {
    return prefixTable;
  }

  public Scavenger scavenger() {
    return scavenger;
  }

  // ---- connections -------------------------------------------------------------------------

  /**
   * Opens a tree connect ({@code FILE_CREATE_TREE_CONNECTION}) to a share: finds or constructs the
   * caller's V_NET_ROOT; the first tree connect takes the add-connection reference.
   */
  public TreeConnection openTreeConnect(
      RxContext ctx, String uncShare, String device, Credentials cred, ConnectOptions opts) {
    UncName unc = UncName.parse(uncShare);
    String dev = normalizeDevice(device);
    for (int attempt = 0; ; attempt++) {
      VNetRoot v =
          connections.findOrConstruct(
              ctx, unc, dev, cred == null ? Credentials.none() : cred, opts, true);
      prefixTable.lock().lockExclusive();
      try {
        if (!v.upperFinalizationDone && !v.connectionFinalizationDone) {
          v.explicitConnection = true;
          v.lazyDeletePending = false;
          if (!v.additionalReferenceTaken) {
            v.additionalReferenceTaken = true;
            refs.reference(v);
          }
          v.numberOfOpens.incrementAndGet();
          return new TreeConnection(this, v);
        }
        // deleted while we connected: drop it and look again
        refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
      } finally {
        prefixTable.lock().unlockExclusive();
      }
      if (attempt == 3) {
        throw new RxException(NtStatus.NETWORK_NAME_DELETED, "connection deleted meanwhile");
      }
    }
  }

  void closeTreeConnect(VNetRoot v) {
    prefixTable.lock().lockExclusive();
    try {
      v.numberOfOpens.decrementAndGet();
      refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      prefixTable.lock().unlockExclusive();
    }
  }

  /**
   * Adds a connection ({@code net use}): a tree connect opened and closed at once, so the
   * V_NET_ROOT lives on its add-connection reference until deleted.
   *
   * @param device a local device ({@code X:}) or {@code null} for a deviceless connection
   */
  public VNetRoot addConnection(
      RxContext ctx, String uncShare, String device, Credentials cred, ConnectOptions opts) {
    String dev = normalizeDevice(device);
    if (dev != null) {
      VNetRoot existing = findConnection(ctx.identity(), dev);
      if (existing != null) {
        connections.release(existing);
        throw new RxException(
            NtStatus.OBJECT_NAME_COLLISION, "the local device name is already in use: " + dev);
      }
    }
    try (TreeConnection t = openTreeConnect(ctx, uncShare, dev, cred, opts)) {
      return t.vNetRoot();
    }
  }

  /**
   * The delete-connection handler of a mini-redirector (the {@code net use /delete} IOCTL): finds
   * the caller's connection by device or UNC name and calls {@link #finalizeConnection}.
   *
   * @param name {@code X:} or {@code \\server\share}
   */
  public FinalizeResult deleteConnection(
      RxContext ctx, String name, ForceFilesClosed force, Set<FinalizeOption> options) {
    VNetRoot v = findConnection(ctx.identity(), name);
    if (v == null) {
      throw new RxException(NtStatus.BAD_NETWORK_NAME, "no such connection: " + name);
    }
    try {
      return finalizeConnection(ctx, v.netRoot, v, force, options);
    } finally {
      connections.release(v);
    }
  }

  /**
   * RxFinalizeConnection(NetRoot, VNetRoot, ForceFilesClosed) with the semantics of RDBSS.md part
   * A; see {@link ForceFilesClosed} and {@link FinalizeResult}.
   */
  public FinalizeResult finalizeConnection(
      RxContext ctx,
      NetRoot netRoot,
      VNetRoot vNetRoot,
      ForceFilesClosed force,
      Set<FinalizeOption> options) {
    return connectionFinalizer.finalizeConnection(
        ctx, netRoot, vNetRoot, force, options.isEmpty() ? Set.of() : EnumSet.copyOf(options));
  }

  /**
   * RxFinalizeConnection for a force level from an untyped edge: anything but 0, 1 or 0xFF is
   * STATUS_INVALID_PARAMETER and changes nothing.
   */
  public FinalizeResult finalizeConnection(
      RxContext ctx, NetRoot netRoot, VNetRoot vNetRoot, long forceWire) {
    ForceFilesClosed f;
    try {
      f = ForceFilesClosed.fromWire(forceWire);
    } catch (RxException e) {
      return FinalizeResult.of(e.status());
    }
    return finalizeConnection(ctx, netRoot, vNetRoot, f, Set.of());
  }

  /**
   * RxForceFinalizeAllVNetRoots: force-finalizes every V_NET_ROOT of a NET_ROOT, as a forced
   * connection delete of each; iterates over a snapshot since each call unlinks.
   */
  public void forceFinalizeAllVNetRoots(NetRoot netRoot) {
    for (VNetRoot v : netRoot.vNetRoots()) {
      refs.reference(v);
      try {
        finalizeConnection(RxContext.of(v.identity()), netRoot, v, ForceFilesClosed.TRUE, Set.of());
      } finally {
        connections.release(v);
      }
    }
  }

  /**
   * The caller's connection named by device ({@code X:}) or UNC share, or {@code null}. The
   * V_NET_ROOT is referenced for the caller, who must give it back with {@link #release}.
   */
  public VNetRoot findConnection(CallerIdentity id, String name) {
    String dev = isDevice(name) ? normalizeDevice(name) : null;
    UncName unc = dev == null ? UncName.parse(name) : null;
    prefixTable.lock().lockShared();
    try {
      for (RxNode n : live) {
        if (n instanceof VNetRoot v
            && !v.upperFinalizationDone
            && !v.freed
            && v.logonId() == id.logonId()
            && (dev != null
                ? dev.equals(v.localDevice())
                : v.netRoot.shareName().equalsIgnoreCase(unc.share())
                    && v.netRoot.srvCall.serverName().equalsIgnoreCase(unc.server()))) {
          refs.reference(v);
          return v;
        }
      }
      return null;
    } finally {
      prefixTable.lock().unlockShared();
    }
  }

  private static boolean isDevice(String name) {
    return name != null
        && name.length() == 2
        && name.charAt(1) == ':'
        && Character.isLetter(name.charAt(0));
  }

  private static String normalizeDevice(String device) {
    if (device == null || device.isEmpty()) {
      return null;
    }
    if (!isDevice(device)) {
      throw new RxException(
          NtStatus.INVALID_PARAMETER, "a local device is a letter and a colon, such as X:");
    }
    return device.toUpperCase(Locale.ROOT);
  }

  /**
   * Registers a listener told, on a worker thread, when a V_NET_ROOT is freed (a connection is
   * really gone: after a delete, a lazy delete's last handle, or an idle implicit connection).
   */
  public void onConnectionFinalized(java.util.function.Consumer<VNetRoot> listener) {
    finalizedListeners.add(listener);
  }

  /** Gives back a V_NET_ROOT reference taken by {@link #findConnection}. */
  public void release(VNetRoot v) {
    connections.release(v);
  }

  /** Live V_NET_ROOTs (connections), for status displays. */
  public List<VNetRoot> connections() {
    List<VNetRoot> l = new ArrayList<>();
    for (RxNode n : live) {
      if (n instanceof VNetRoot v && !v.upperFinalizationDone) {
        l.add(v);
      }
    }
    l.sort((a, b) -> Long.compare(a.serial, b.serial));
    return l;
  }

  /** Every node not yet freed. */
  public List<RxNode> liveNodes() {
    List<RxNode> l = new ArrayList<>(live);
    l.sort((a, b) -> Long.compare(a.serial, b.serial));
    return l;
  }

  /** After a handle closes: finalize a connection that was deleted (TRUE or 0xFF) once idle. */
  void reapIfDeleted(VNetRoot v) {
    if (!(v.upperFinalizationDone || v.lazyDeletePending) || v.freed) {
      return;
    }
    prefixTable.lock().lockExclusive();
    try {
      if (v.isScavengerMarked()) {
        refs.dereferenceFromScavenger(v);
      }
    } finally {
      prefixTable.lock().unlockExclusive();
    }
  }

  /** The close-transport option: finalize a dormant SRV_CALL now. */
  void closeTransportIfIdle(SrvCall s) {
    prefixTable.lock().lockExclusive();
    try {
      s.closeTransportRequested = true;
      if (s.isScavengerMarked()) {
        refs.dereferenceFromScavenger(s);
      }
    } finally {
      prefixTable.lock().unlockExclusive();
    }
  }

  // ---- files --------------------------------------------------------------------------------

  /** Opens {@code \\server\share\path} for the context's identity (implicit UNC connection). */
  public FileObject create(RxContext ctx, String uncPath, CreateRequest req) {
    return create(ctx, uncPath, req, ConnectOptions.defaults());
  }

  /** Opens {@code \\server\share\path}, connecting with the given options if needed. */
  public FileObject create(RxContext ctx, String uncPath, CreateRequest req, ConnectOptions opts) {
    UncName unc = UncName.parse(uncPath);
    String rel = req.path() == null || req.path().isEmpty() ? unc.path() : req.path();
    VNetRoot v = connections.findOrConstruct(ctx, unc, null, Credentials.none(), opts, false);
    try {
      return fileOps.create(ctx, v, req.withPath(rel));
    } finally {
      connections.release(v);
    }
  }

  /** Opens a path below the share of a V_NET_ROOT (a mapped device). */
  public FileObject create(RxContext ctx, VNetRoot v, CreateRequest req) {
    if (v.identity().logonId() != ctx.identity().logonId()) {
      throw new RxException(
          NtStatus.ACCESS_DENIED, "a connection is used only by the identity that owns it");
    }
    prefixTable.lock().lockShared();
    try {
      if (v.upperFinalizationDone || v.freed) {
        throw new RxException(NtStatus.NETWORK_NAME_DELETED, "connection deleted: " + v.name());
      }
      if (v.netRoot.condition() == Condition.BAD || v.condition() == Condition.BAD) {
        throw new RxException(NtStatus.BAD_NETWORK_PATH, "share unavailable: " + v.uncName());
      }
      refs.reference(v);
    } finally {
      prefixTable.lock().unlockShared();
    }
    try {
      return fileOps.create(ctx, v, req);
    } finally {
      connections.release(v);
    }
  }

  /**
   * The attributes of a path below a connection's share without keeping it open (a stat): from the
   * metadata cache when it is on and fresh, else an attributes-only open, a query and a close.
   */
  public FileInfo queryPathInformation(RxContext ctx, VNetRoot v, String path) {
    String rel = UncName.relativePath(path);
    FileInfo cached = metadata.attributes(v.netRoot, rel);
    if (cached != null) {
      return cached;
    }
    CreateRequest stat =
        new CreateRequest(
            rel,
            FileAccess.FILE_READ_ATTRIBUTES | FileAccess.SYNCHRONIZE,
            FileAccess.FILE_SHARE_ALL,
            FileAccess.FILE_OPEN,
            0,
            0);
    FileObject f = create(ctx, v, stat);
    try {
      return queryInformation(ctx, f);
    } finally {
      cleanup(ctx, f);
      close(ctx, f);
    }
  }

  public void cleanup(RxContext ctx, FileObject fo) {
    fileOps.cleanup(ctx, fo);
  }

  public void close(RxContext ctx, FileObject fo) {
    fileOps.close(ctx, fo);
  }

  public int read(RxContext ctx, FileObject fo, long offset, ByteBuffer dst) {
    return ioOps.read(ctx, fo, offset, dst);
  }

  public int write(RxContext ctx, FileObject fo, long offset, ByteBuffer src) {
    return ioOps.write(ctx, fo, offset, src);
  }

  public FileInfo queryInformation(RxContext ctx, FileObject fo) {
    return ioOps.queryInformation(ctx, fo);
  }

  public void setInformation(RxContext ctx, FileObject fo, SetInfo info) {
    ioOps.setInformation(ctx, fo, info);
  }

  public List<FileInfo> queryDirectory(RxContext ctx, FileObject fo, String pattern) {
    return ioOps.queryDirectory(ctx, fo, pattern);
  }

  /** One change notification: blocks until the next batch of changes or cancellation. */
  public List<ChangeEvent> notifyChangeDirectory(RxContext ctx, FileObject fo, boolean tree) {
    return ioOps.notifyChangeDirectory(ctx, fo, tree);
  }

  public void lock(
      RxContext ctx, FileObject fo, long off, long len, boolean exclusive, boolean failNow) {
    ioOps.lock(ctx, fo, off, len, exclusive, failNow);
  }

  public void unlock(RxContext ctx, FileObject fo, long off, long len) {
    ioOps.unlock(ctx, fo, off, len);
  }

  public void flush(RxContext ctx, FileObject fo) {
    ioOps.flush(ctx, fo);
  }

  /** The size and free space of a connection's share: {total, free} bytes. */
  public long[] queryVolume(RxContext ctx, VNetRoot v) {
    return ioOps.queryVolume(ctx, v);
  }

  /** The FileSystemAttributes flags of a connection's share ({@link VolumeAttributes}). */
  public int queryVolumeAttributes(RxContext ctx, VNetRoot v) {
    return ioOps.queryVolumeAttributes(ctx, v);
  }

  /**
   * Server-side copy of up to {@code length} bytes from one open file to another of the same share
   * ({@link MiniRedirector#copyRange}); returns the bytes copied, fewer at the source's end of
   * file. The source's data held back in the cache is written first, and the target's cached pages
   * are dropped afterwards. NOT_SAME_DEVICE when the files are on different NET_ROOTs,
   * NOT_SUPPORTED when the mini-redirector cannot copy on the server.
   */
  public long copyRange(
      RxContext ctx,
      FileObject source,
      long sourceOffset,
      FileObject target,
      long targetOffset,
      long length) {
    return ioOps.copyRange(ctx, source, sourceOffset, target, targetOffset, length);
  }

  /**
   * Copies all of {@code source} to {@code target} (from offset 0 of both) on the server, through
   * {@link #copyRange} in ranges of at most {@code step} bytes, telling {@code progress} the bytes
   * copied after each; returns the bytes copied, or -1 when the server cannot copy between the two
   * (NOT_SUPPORTED, INVALID_DEVICE_REQUEST, NOT_SAME_DEVICE) and nothing was copied: the caller
   * then streams the data itself. Used by the nio provider's {@code Files.copy} and rdrd's {@code
   * copy} within a share.
   */
  public long copyOnServer(
      RxContext ctx,
      FileObject source,
      FileObject target,
      long step,
      java.util.function.LongConsumer progress) {
    if (step <= 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "copy step must be positive: " + step);
    }
    long done = 0;
    while (true) {
      long n;
      try {
        n = copyRange(ctx, source, done, target, done, step);
      } catch (RxException e) {
        if (done == 0
            && (e.status() == NtStatus.NOT_SUPPORTED
                || e.status() == NtStatus.INVALID_DEVICE_REQUEST
                || e.status() == NtStatus.NOT_SAME_DEVICE)) {
          return -1;
        }
        throw e;
      }
      if (n <= 0) {
        return done;
      }
      done += n;
      progress.accept(done);
      if (n < step) {
        return done;
      }
    }
  }

  /** Waits for a mini-redirector call as the context allows; cancellation fails it. */
  <T> T await(RxContext ctx, CompletableFuture<T> f) {
    if (ctx != null) {
      ctx.attach(f);
    }
    try {
      return f.join();
    } catch (RuntimeException e) {
      throw RxException.of(e);
    } finally {
      if (ctx != null) {
        ctx.attach(null);
      }
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /**
   * Finalizes everything idle now rather than at the scavenger's timeout: delayed closes, idle
   * connections and dormant transports; waits for transport finalization to finish.
   */
  public void drain() {
    // At least one pass: runOnce waits for a background pass in progress, whose effects (a
    // SRV_CALL dereferenced after its NET_ROOT was unmarked) are then visible to the check; and
    // background work still running (a read-ahead, a transport's finalization) may drop the last
    // reference of a node after a pass, so the loop goes on until none runs and nothing is marked.
    int i = 0;
    do {
      scavenger.runOnce(true);
      workers.awaitIdle(10_000);
    } while (++i < 10 && !scavenger.markedNodes().isEmpty());
  }

  /**
   * Shuts down: every connection is finalized with force TRUE (data flushed, handles orphaned),
   * idle objects are finalized and transports closed, and the scavenger stops.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (VNetRoot v : connections()) {
      refs.reference(v);
      try {
        finalizeConnection(
            RxContext.of(v.identity()),
            v.netRoot,
            v,
            ForceFilesClosed.TRUE,
            EnumSet.of(FinalizeOption.CLOSE_TRANSPORT));
      } finally {
        connections.release(v);
      }
    }
    drain();
    dataCache.stop();
    scavenger.stop();
    workers.shutdown();
  }
}
