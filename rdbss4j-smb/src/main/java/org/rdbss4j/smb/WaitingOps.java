package org.rdbss4j.smb;

import com.hierynomus.msfscc.FileNotifyAction;
import com.hierynomus.msfscc.directory.FileNotifyInformation;
import com.hierynomus.mssmb2.SMB2ChangeNotifyFlags;
import com.hierynomus.mssmb2.SMB2CompletionFilter;
import com.hierynomus.mssmb2.SMB2LockFlag;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.messages.SMB2ChangeNotifyRequest;
import com.hierynomus.mssmb2.messages.SMB2ChangeNotifyResponse;
import com.hierynomus.mssmb2.messages.SMB2LockRequest;
import com.hierynomus.mssmb2.messages.submodule.SMB2LockElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests that may wait for as long as it takes: CHANGE_NOTIFY, and LOCK without
 * fail-immediately. They have no timeout; the request context's cancel routine sends SMB2 CANCEL,
 * and a lost connection fails them at once.
 */
final class WaitingOps {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingOps.class);

  private static final long CANCELLED = SmbStatuses.code(NtStatus.CANCELLED);
  private static final long NOTIFY_CLEANUP = SmbStatuses.code(NtStatus.NOTIFY_CLEANUP);
  private static final long NOTIFY_ENUM_DIR = SmbStatuses.code(NtStatus.NOTIFY_ENUM_DIR);
  private static final int NOTIFY_BUFFER = 64 * 1024;

  /** Names, attributes, sizes, times and security: every change a directory watcher cares for. */
  private static final Set<SMB2CompletionFilter> FILTER =
      EnumSet.of(
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_DIR_NAME,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_ATTRIBUTES,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_SIZE,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_LAST_WRITE,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_CREATION,
          SMB2CompletionFilter.FILE_NOTIFY_CHANGE_SECURITY);

  private WaitingOps() {}

  /**
   * MRxLowIOSubmit[NOTIFY_CHANGE_DIRECTORY]: one CHANGE_NOTIFY. A cancelled one is answered by the
   * server with STATUS_CANCELLED (not an exception in smbj); both end as CANCELLED.
   * STATUS_NOTIFY_ENUM_DIR, or an empty answer, is one OVERFLOW event: re-list the directory.
   */
  static CompletableFuture<List<ChangeEvent>> notifyChangeDirectory(
      RxContext ctx, SmbHandle h, boolean watchTree) {
    String what = "change notify on " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          h.requireUsable(what);
          SmbTransport t = h.transport();
          SmbView.Binding b = h.binding;
          SMB2ChangeNotifyRequest req =
              new SMB2ChangeNotifyRequest(
                  t.dialect(),
                  b.sessionId(),
                  b.treeId(),
                  h.fileId,
                  FILTER,
                  watchTree
                      ? EnumSet.of(SMB2ChangeNotifyFlags.WATCH_TREE)
                      : EnumSet.noneOf(SMB2ChangeNotifyFlags.class),
                  Math.min(NOTIFY_BUFFER, t.maxTransactSize()));
          SMB2ChangeNotifyResponse r = HandleOps.call(ex, b, req, Duration.ZERO);
          long st = r.getHeader().getStatusCode();
          if (st == CANCELLED || st == NOTIFY_CLEANUP || ex.isCancelled()) {
            throw new RxException(NtStatus.CANCELLED, what + " cancelled");
          }
          if (st == NOTIFY_ENUM_DIR) {
            return List.of(new ChangeEvent(ChangeEvent.Action.OVERFLOW, ""));
          }
          List<FileNotifyInformation> infos = SmbStatuses.check(r, what).getFileNotifyInfoList();
          if (infos.isEmpty()) {
            return List.of(new ChangeEvent(ChangeEvent.Action.OVERFLOW, ""));
          }
          List<ChangeEvent> events = new ArrayList<>();
          for (FileNotifyInformation i : infos) {
            events.add(new ChangeEvent(action(i.getAction()), i.getFileName()));
          }
          return events;
        });
  }

  private static ChangeEvent.Action action(FileNotifyAction a) {
    if (a == null) {
      return ChangeEvent.Action.MODIFIED;
    }
    return switch (a) {
      case FILE_ACTION_ADDED -> ChangeEvent.Action.ADDED;
      case FILE_ACTION_REMOVED -> ChangeEvent.Action.REMOVED;
      case FILE_ACTION_RENAMED_OLD_NAME -> ChangeEvent.Action.RENAMED_OLD_NAME;
      case FILE_ACTION_RENAMED_NEW_NAME -> ChangeEvent.Action.RENAMED_NEW_NAME;
      default -> ChangeEvent.Action.MODIFIED;
    };
  }

  /**
   * MRxLowIOSubmit[SHAREDLOCK / EXCLUSIVELOCK]: SMB2 LOCK. Without fail-immediately the server
   * holds the request until the range is free; a cancel (SMB2 CANCEL) ends it with CANCELLED, and a
   * lock the server granted as the cancel crossed it is given back.
   */
  static CompletableFuture<Void> lock(
      RxContext ctx,
      SmbHandle h,
      Object owner,
      long offset,
      long length,
      boolean exclusive,
      boolean failImmediately) {
    String what = "lock " + h.path + " [" + offset + "+" + length + "]";
    EnumSet<SMB2LockFlag> flags =
        EnumSet.of(
            exclusive
                ? SMB2LockFlag.SMB2_LOCKFLAG_EXCLUSIVE_LOCK
                : SMB2LockFlag.SMB2_LOCKFLAG_SHARED_LOCK);
    if (failImmediately) {
      flags.add(SMB2LockFlag.SMB2_LOCKFLAG_FAIL_IMMEDIATELY);
    }
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.ready(ex, h, what);
          SmbPacketResult r =
              lockRequest(
                  ex,
                  h,
                  new SMB2LockElement(offset, length, flags),
                  failImmediately ? h.transport().options().transactTimeout() : Duration.ZERO);
          if (r.status() == CANCELLED) {
            throw new RxException(NtStatus.CANCELLED, what + " cancelled");
          }
          SmbStatuses.check(r.packet(), what);
          if (ex.isCancelled()) {
            unlockQuietly(h, offset, length);
            throw new RxException(NtStatus.CANCELLED, what + " cancelled");
          }
          h.addLock(new SmbHandle.LockedRange(owner, offset, length));
          return null;
        });
  }

  /** MRxLowIOSubmit[UNLOCK]. */
  static CompletableFuture<Void> unlock(
      RxContext ctx, SmbHandle h, Object owner, long offset, long length) {
    String what = "unlock " + h.path + " [" + offset + "+" + length + "]";
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.ready(ex, h, what);
          SmbStatuses.check(unlockRequest(ex, h, offset, length), what);
          h.removeLock(owner, offset, length);
          return null;
        });
  }

  /**
   * MRxCleanupFobx: the handle (FOBX) is gone, so are its byte-range locks; waits for the UNLOCKs,
   * so that the ranges are free when cleanup returns (the SRV_OPEN itself may stay open, a delayed
   * close).
   */
  static void releaseLocks(SmbHandle h, Object owner) {
    List<CompletableFuture<Void>> unlocks = new ArrayList<>();
    for (SmbHandle.LockedRange r : h.takeLocks(owner)) {
      unlocks.add(unlockQuietly(h, r.offset(), r.length()));
    }
    try {
      CompletableFuture.allOf(unlocks.toArray(CompletableFuture[]::new))
          .get(h.transport().options().transactTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("releasing the locks of {} on {} failed: {}", owner, h.path, e.toString());
    }
  }

  private static CompletableFuture<Void> unlockQuietly(SmbHandle h, long offset, long length) {
    if (h.isLost() || h.isClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    return Exchange.<Void>run(
            null,
            "unlock " + h.path,
            ex -> {
              unlockRequest(ex, h, offset, length);
              return null;
            })
        .exceptionally(
            e -> {
              LOG.debug("releasing a lock on {} failed: {}", h.path, e.toString());
              return null;
            });
  }

  private static SMB2Packet unlockRequest(Exchange<?> ex, SmbHandle h, long offset, long length) {
    return lockRequest(
            ex,
            h,
            new SMB2LockElement(offset, length, EnumSet.of(SMB2LockFlag.SMB2_LOCKFLAG_UNLOCK)),
            h.transport().options().transactTimeout())
        .packet();
  }

  private record SmbPacketResult(SMB2Packet packet, long status) {}

  private static SmbPacketResult lockRequest(
      Exchange<?> ex, SmbHandle h, SMB2LockElement element, Duration timeout) {
    SmbView.Binding b = h.binding;
    SMB2LockRequest req =
        new SMB2LockRequest(
            h.transport().dialect(),
            b.sessionId(),
            b.treeId(),
            (short) 0,
            0,
            h.fileId,
            List.of(element));
    SMB2Packet p = HandleOps.call(ex, b, req, timeout);
    return new SmbPacketResult(p, p.getHeader().getStatusCode());
  }
}
