package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mini-redirector for the core's own tests: an in-memory share that records every MRx call, so
 * tests can check which calls RDBSS made and how often, and can script construction statuses, flush
 * failures and pending change notifications. It claims servers named {@code srv*}.
 */
public class RecordingMiniRedirector implements MiniRedirector {
  public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  public final List<String> log = new CopyOnWriteArrayList<>();
  public final Map<String, byte[]> files = new ConcurrentHashMap<>();
  public final Set<String> directories = ConcurrentHashMap.newKeySet();

  /** Names (upper case) whose FILE_OPEN fails with OBJECT_NAME_NOT_FOUND. */
  public final Set<String> missing = ConcurrentHashMap.newKeySet();

  public volatile NtStatus srvCallStatus = NtStatus.SUCCESS;
  public volatile NtStatus winnerNotifyStatus = NtStatus.SUCCESS;
  public volatile VNetRootResult vNetRootResult = VNetRootResult.SUCCESS;
  public volatile NtStatus flushStatus = NtStatus.SUCCESS;

  /** Runs as a change notify arrives, before it is queued (to race a cancellation with it). */
  public volatile java.util.function.Consumer<RxContext> onNotify = c -> {};

  /** When set, a change notify fails at once with this status (its handle is already gone). */
  public volatile NtStatus notifyStatus;

  public volatile NtStatus createStatus = NtStatus.SUCCESS;

  /** What completeWrites reports (a write completed ahead of the server that failed). */
  public volatile NtStatus completeWritesStatus = NtStatus.SUCCESS;

  /**
   * The caching granted to every create: HANDLE by default (a handle lease, so closes may be
   * deferred as the delayed-close tests expect); no data caching unless a test grants it.
   */
  public volatile Set<Buffering> grant = Set.of(Buffering.HANDLE);

  /** When set, each create is broken to this state before it returns (as a crossing break). */
  public volatile Set<Buffering> breakDuringCreate;

  /** Makes every MRxWrite fail with this status (SUCCESS: writes work). */
  public volatile NtStatus writeStatus = NtStatus.SUCCESS;

  /**
   * Reads, writes and flushes that ran while the calling thread held the prefix table, an FCB table
   * or the data cache's page table (none should: only the FCB resource and the paging I/O resource
   * may be held across mini-redirector I/O).
   */
  public final AtomicInteger ioUnderTableLock = new AtomicInteger();

  private void checkLocks() {
    if (LockOrder.holds(LockOrder.PREFIX_TABLE)
        || LockOrder.holds(LockOrder.FCB_TABLE)
        || LockOrder.holds(LockOrder.DATA_CACHE)) {
      ioUnderTableLock.incrementAndGet();
    }
  }

  /** Every MRxWrite at or beyond this offset fails with DISK_FULL. */
  public volatile long writeFailsFrom = Long.MAX_VALUE;

  /** Every MRxRead at or beyond this offset fails with UNEXPECTED_NETWORK_ERROR. */
  public volatile long readFailsFrom = Long.MAX_VALUE;

  /** The length of every MRxRead, in order. */
  public final List<Integer> readSizes = new CopyOnWriteArrayList<>();

  /** Act as a server that refuses an open while another handle of the file is open. */
  public volatile boolean exclusiveSharing;

  /** Whether listings start with "." and ".." (as a server's do); the core must not cache them. */
  public volatile boolean listDotEntries;

  /** What {@link SrvOpen#knownInformation()} said at each MRxCreate, in order. */
  public final List<java.util.Optional<FileInfo>> knownAtCreate = new CopyOnWriteArrayList<>();

  /** Completed by tests to let a pending SRV_CALL construction finish. */
  public volatile CompletableFuture<Void> srvCallGate;

  /** Pending change notifications, completed by tests or cancelled. */
  public final List<CompletableFuture<List<ChangeEvent>>> pendingNotifies =
      new CopyOnWriteArrayList<>();

  public RecordingMiniRedirector() {
    directories.add("");
  }

  public int count(String call) {
    AtomicInteger a = calls.get(call);
    return a == null ? 0 : a.get();
  }

  private void record(String call, Object arg) {
    calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
    log.add(call + " " + arg);
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public boolean claimsServer(String serverName, int port) {
    return serverName.toLowerCase().startsWith("srv");
  }

  @Override
  public CompletableFuture<Void> createSrvCall(SrvCall srvCall) {
    record("MRxCreateSrvCall", srvCall.name());
    CompletableFuture<Void> gate = srvCallGate;
    CompletableFuture<Void> base = gate == null ? CompletableFuture.completedFuture(null) : gate;
    return base.thenCompose(
        x ->
            srvCallStatus == NtStatus.SUCCESS
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new RxException(srvCallStatus, "scripted")));
  }

  @Override
  public NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean winner) {
    record("MRxSrvCallWinnerNotify", srvCall.name());
    srvCall.setFlags(
        srvCall.flags()
            | SrvCall.FLAG_CASE_INSENSITIVE_NETROOTS
            | SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES);
    return winnerNotifyStatus;
  }

  @Override
  public CompletableFuture<VNetRootResult> createVNetRoot(RxContext ctx, VNetRoot vNetRoot) {
    record("MRxCreateVNetRoot", vNetRoot.name());
    return CompletableFuture.completedFuture(vNetRootResult);
  }

  @Override
  public void finalizeVNetRoot(VNetRoot vNetRoot, boolean force) {
    record("MRxFinalizeVNetRoot", vNetRoot.name());
  }

  @Override
  public void finalizeNetRoot(NetRoot netRoot, boolean force) {
    record("MRxFinalizeNetRoot", netRoot.name());
  }

  @Override
  public void finalizeSrvCall(SrvCall srvCall, boolean force) {
    record("MRxFinalizeSrvCall", srvCall.name());
  }

  @Override
  public CompletableFuture<CreateResult> create(RxContext ctx, SrvOpen srvOpen) {
    record("MRxCreate", srvOpen.fcb().path());
    knownAtCreate.add(java.util.Optional.ofNullable(srvOpen.knownInformation()));
    if (exclusiveSharing) {
      for (SrvOpen other : srvOpen.fcb().srvOpens()) {
        if (other != srvOpen && !other.hasFlag(SrvOpen.FLAG_CLOSED)) {
          return CompletableFuture.failedFuture(
              new RxException(NtStatus.SHARING_VIOLATION, "file in use"));
        }
      }
    }
    if (missing.contains(srvOpen.fcb().path().toUpperCase())) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.OBJECT_NAME_NOT_FOUND, srvOpen.fcb().path()));
    }
    if (createStatus != NtStatus.SUCCESS) {
      return CompletableFuture.failedFuture(new RxException(createStatus, "scripted"));
    }
    String p = srvOpen.fcb().path().toUpperCase();
    CreateRequest r = srvOpen.request();
    boolean dir = directories.contains(p) || r.wantsDirectory();
    boolean existed = files.containsKey(p) || directories.contains(p);
    if (dir) {
      directories.add(p);
    } else {
      files.putIfAbsent(p, new byte[0]);
    }
    // the content is the test's to set (it does not truncate); the action says what a server would
    CreateResult.Action action =
        !existed
            ? CreateResult.Action.CREATED
            : r.disposition() == FileAccess.FILE_SUPERSEDE
                ? CreateResult.Action.SUPERSEDED
                : r.disposition() == FileAccess.FILE_OVERWRITE
                        || r.disposition() == FileAccess.FILE_OVERWRITE_IF
                    ? CreateResult.Action.OVERWRITTEN
                    : CreateResult.Action.OPENED;
    Set<Buffering> broken = breakDuringCreate;
    if (broken != null) {
      srvOpen.indicateChangeOfBufferingState(broken).join();
    }
    return CompletableFuture.completedFuture(new CreateResult(action, infoOf(p), grant));
  }

  @Override
  public CompletableFuture<Void> collapseOpen(RxContext ctx, SrvOpen srvOpen) {
    record("MRxCollapseOpen", srvOpen.fcb().path());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void cleanupFobx(Fobx fobx) {
    record("MRxCleanupFobx", fobx.fcb().path());
  }

  @Override
  public CompletableFuture<Void> closeSrvOpen(SrvOpen srvOpen) {
    record("MRxCloseSrvOpen", srvOpen.fcb().path());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void forceClosed(SrvOpen srvOpen) {
    record("MRxForceClosed", srvOpen.fcb().path());
  }

  @Override
  public CompletableFuture<Integer> read(RxContext ctx, SrvOpen s, long offset, ByteBuffer dst) {
    record("MRxRead", s.fcb().path() + "@" + offset + "+" + dst.remaining());
    checkLocks();
    readSizes.add(dst.remaining());
    if (offset >= readFailsFrom) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.UNEXPECTED_NETWORK_ERROR, "scripted read failure"));
    }
    byte[] data = files.getOrDefault(s.fcb().path().toUpperCase(), new byte[0]);
    if (offset >= data.length) {
      return CompletableFuture.completedFuture(-1);
    }
    int n = (int) Math.min(dst.remaining(), data.length - offset);
    dst.put(data, (int) offset, n);
    return CompletableFuture.completedFuture(n);
  }

  @Override
  public CompletableFuture<Integer> write(RxContext ctx, SrvOpen s, long offset, ByteBuffer src) {
    record("MRxWrite", s.fcb().path() + "@" + offset + "+" + src.remaining());
    checkLocks();
    if (writeStatus != NtStatus.SUCCESS) {
      return CompletableFuture.failedFuture(new RxException(writeStatus, "scripted write failure"));
    }
    if (offset >= writeFailsFrom) {
      return CompletableFuture.failedFuture(
          new RxException(NtStatus.DISK_FULL, "scripted write failure"));
    }
    String p = s.fcb().path().toUpperCase();
    byte[] data = files.getOrDefault(p, new byte[0]);
    int n = src.remaining();
    byte[] out = java.util.Arrays.copyOf(data, (int) Math.max(data.length, offset + n));
    src.get(out, (int) offset, n);
    files.put(p, out);
    return CompletableFuture.completedFuture(n);
  }

  @Override
  public CompletableFuture<FileInfo> queryInformation(RxContext ctx, SrvOpen s) {
    record("MRxQueryFileInfo", s.fcb().path());
    return CompletableFuture.completedFuture(infoOf(s.fcb().path().toUpperCase()));
  }

  private FileInfo infoOf(String p) {
    boolean dir = directories.contains(p);
    return new FileInfo(
        p,
        dir,
        files.getOrDefault(p, new byte[0]).length,
        0,
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH,
        dir ? FileAccess.ATTRIBUTE_DIRECTORY : 0,
        0);
  }

  @Override
  public CompletableFuture<Void> setInformation(RxContext ctx, SrvOpen s, SetInfo info) {
    record("MRxSetFileInfo", info);
    if (info instanceof SetInfo.EndOfFile eof) {
      String p = s.fcb().path().toUpperCase();
      files.put(p, java.util.Arrays.copyOf(files.getOrDefault(p, new byte[0]), (int) eof.size()));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<List<FileInfo>> queryDirectory(
      RxContext ctx, SrvOpen s, String pattern) {
    record("MRxQueryDirectory", s.fcb().path());
    String dir = s.fcb().path().toUpperCase();
    String prefix = dir.isEmpty() ? "" : dir + "\\";
    List<FileInfo> out = new ArrayList<>();
    if (listDotEntries) {
      out.add(infoOf(dir).withName("."));
      out.add(infoOf(dir).withName(".."));
    }
    java.util.Set<String> names = new java.util.TreeSet<>(files.keySet());
    names.addAll(directories);
    for (String p : names) {
      if (!p.isEmpty() && p.startsWith(prefix) && p.indexOf('\\', prefix.length()) < 0) {
        out.add(infoOf(p).withName(p.substring(prefix.length())));
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SrvOpen s, boolean watchTree) {
    record("MRxNotifyChangeDirectory", s.fcb().path());
    onNotify.accept(ctx);
    if (notifyStatus != null) {
      return CompletableFuture.failedFuture(new RxException(notifyStatus, "handle gone"));
    }
    CompletableFuture<List<ChangeEvent>> f = new CompletableFuture<>();
    pendingNotifies.add(f);
    ctx.setCancelRoutine(
        () -> {
          record("MRxCancelRoutine", s.fcb().path());
          f.completeExceptionally(new RxException(NtStatus.CANCELLED, "notify cancelled"));
        });
    return f;
  }

  @Override
  public CompletableFuture<Void> lock(
      RxContext ctx, SrvOpen s, long offset, long length, boolean exclusive, boolean now) {
    record("MRxLock", offset);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unlock(RxContext ctx, SrvOpen s, long offset, long length) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> completeWrites(RxContext ctx, SrvOpen s) {
    record("MRxCompleteWrites", s.fcb().path());
    return completeWritesStatus == NtStatus.SUCCESS
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(
            new RxException(completeWritesStatus, "scripted failure of a write completed early"));
  }

  @Override
  public CompletableFuture<Void> flush(RxContext ctx, SrvOpen s) {
    record("MRxFlush", s.fcb().path());
    checkLocks();
    return flushStatus == NtStatus.SUCCESS
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new RxException(flushStatus, "scripted flush failure"));
  }
}
