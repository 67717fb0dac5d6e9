package org.rdbss4j.smb;

import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.FileInformationClass;
import com.hierynomus.msfscc.FileSystemInformationClass;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.msfscc.fileinformation.FileInformationFactory;
import com.hierynomus.mssmb2.SMB2ImpersonationLevel;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.messages.SMB2Close;
import com.hierynomus.mssmb2.messages.SMB2CreateRequest;
import com.hierynomus.mssmb2.messages.SMB2CreateResponse;
import com.hierynomus.mssmb2.messages.SMB2Flush;
import com.hierynomus.mssmb2.messages.SMB2QueryDirectoryRequest;
import com.hierynomus.mssmb2.messages.SMB2QueryDirectoryResponse;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoRequest;
import com.hierynomus.mssmb2.messages.SMB2QueryInfoResponse;
import com.hierynomus.mssmb2.messages.SMB2SetInfoRequest;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smbj.common.SmbPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.rdbss4j.core.Buffering;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.SrvOpen;

/**
 * The requests on an SMB2 handle that answer promptly: CREATE, CLOSE, QUERY_INFO, SET_INFO,
 * QUERY_DIRECTORY, FLUSH, and the volume query. Each runs as an {@link Exchange} bounded by the
 * options' timeouts.
 */
final class HandleOps {
  private static final long NO_MORE_FILES = SmbStatuses.code(NtStatus.NO_MORE_FILES);
  private static final long NO_SUCH_FILE = SmbStatuses.code(NtStatus.NO_SUCH_FILE);
  private static final long FILE_CLOSED = SmbStatuses.code(NtStatus.FILE_CLOSED);
  private static final long NETWORK_NAME_DELETED = SmbStatuses.code(NtStatus.NETWORK_NAME_DELETED);

  private HandleOps() {}

  /** Sends one request on the handle's session and waits for its response, status unchecked. */
  static <P extends SMB2Packet> P call(
      Exchange<?> ex, SmbView.Binding b, SMB2Packet req, Duration timeout) {
    SmbTransport t = b.transport();
    return ex.await(t, ex.<P>send(t, b.session().session, req), timeout);
  }

  /**
   * MRxCreate: SMB2 CREATE with the request's rights, sharing, disposition and options, then the
   * file's information. The handle is the SRV_OPEN's context from the moment the server grants it,
   * so that a create that fails or is cancelled afterwards still closes it.
   */
  static CompletableFuture<CreateResult> create(RxContext ctx, SmbView view, SrvOpen srvOpen) {
    CreateRequest r = srvOpen.request();
    String path = r.path();
    String what = "open \\" + view.shareName() + "\\" + path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          SmbView.Binding b = view.bind();
          SmbTransport t = b.transport();
          boolean caching = wantsLease(t, b, r);
          boolean oplock = caching && !LeaseWire.hasLeases(t.dialect());
          Leases.Lease lease = caching && !oplock ? t.leases.acquire(srvOpen.fcb(), b) : null;
          long breaks = lease == null ? 0 : t.leases.breaks(lease);
          SmbPath smbPath = new SmbPath(t.host(), view.shareName(), path);
          SMB2CreateRequest req =
              !caching
                  ? new SMB2CreateRequest(
                      t.dialect(),
                      b.sessionId(),
                      b.treeId(),
                      SMB2ImpersonationLevel.Impersonation,
                      Access.accessMask(r.desiredAccess()),
                      Access.attributes(r.fileAttributes()),
                      Access.shareAccess(r.shareAccess()),
                      Access.disposition(r.disposition()),
                      Access.createOptions(r.createOptions()),
                      smbPath)
                  : new LeaseWire.LeaseCreateRequest(
                      t.dialect(),
                      b.sessionId(),
                      b.treeId(),
                      SMB2ImpersonationLevel.Impersonation,
                      Access.accessMask(r.desiredAccess()),
                      Access.attributes(r.fileAttributes()),
                      Access.shareAccess(r.shareAccess()),
                      Access.disposition(r.disposition()),
                      Access.createOptions(r.createOptions()),
                      smbPath,
                      lease == null ? null : lease.key,
                      LeaseWire.READ | LeaseWire.WRITE | LeaseWire.HANDLE);
          SMB2CreateResponse resp;
          try {
            resp = SmbStatuses.check(call(ex, b, req, t.options().transactTimeout()), what);
          } catch (RuntimeException e) {
            if (lease != null) {
              t.leases.abandon(lease);
            }
            throw e;
          }
          boolean dir = resp.getFileAttributes().contains(FileAttributes.FILE_ATTRIBUTE_DIRECTORY);
          SmbHandle h = new SmbHandle(view, b, resp.getFileId(), dir, path);
          h.srvOpen = srvOpen;
          view.handleOpened();
          srvOpen.setContext(h);
          int granted = -1;
          if (lease != null) {
            granted = t.leases.register(lease, h, LeaseWire.grantedState(resp, lease.key), breaks);
          } else if (oplock) {
            int level = LeaseWire.oplockLevel(resp);
            if (LeaseWire.oplockState(level) != 0) {
              granted = t.leases.registerOplock(h, srvOpen.fcb(), LeaseWire.fileId(resp), level);
            }
          }
          try {
            FileInfo info = infoAfterCreate(ex, h, resp, srvOpen, what);
            if (ex.isCancelled()) {
              throw new RxException(NtStatus.CANCELLED, what + " cancelled");
            }
            Set<Buffering> buffering = granted < 0 || dir ? Set.of() : LeaseWire.buffering(granted);
            return new CreateResult(Access.action(resp.getCreateAction()), info, buffering);
          } catch (RuntimeException e) {
            close(h);
            throw e;
          }
        });
  }

  /**
   * Whether to ask for caching (a lease on SMB 2.1 and later, a batch oplock on 2.0.2): the options
   * allow it, the session does not encrypt (an encrypted break would reach smbj, which cannot
   * handle it, see {@link BreakInterceptor}), and the open is not for a directory or the share's
   * root.
   */
  private static boolean wantsLease(SmbTransport t, SmbView.Binding b, CreateRequest r) {
    if (!t.options().leases()
        || r.path().isEmpty()
        || (r.createOptions() & FileAccess.FILE_DIRECTORY_FILE) != 0) {
      return false;
    }
    try {
      return !b.session().session.shouldEncryptData();
    } catch (TransportException e) {
      return false;
    }
  }

  /** MRxCloseSrvOpen: SMB2 CLOSE, once; a handle lost with its connection is already gone. */
  static CompletableFuture<Void> close(SmbHandle h) {
    if (!h.markClosed() || h.isLost()) {
      return CompletableFuture.completedFuture(null);
    }
    String what = "close " + h.path;
    return Exchange.<Void>run(
            null,
            what,
            ex -> {
              // the writes completed ahead of the server are answered before the handle goes
              RxException unflushed = null;
              try {
                DataTransfer.settleAndReport(ex, h, what);
              } catch (RxException e) {
                unflushed = e;
              }
              SmbView.Binding b = h.binding;
              SMB2Packet resp =
                  call(
                      ex,
                      b,
                      new SMB2Close(h.transport().dialect(), b.sessionId(), b.treeId(), h.fileId),
                      h.transport().options().transactTimeout());
              long st = resp.getHeader().getStatusCode();
              if (SmbStatuses.failed(st) && st != FILE_CLOSED && st != NETWORK_NAME_DELETED) {
                throw SmbStatuses.of(resp, what);
              }
              if (unflushed != null) {
                throw unflushed;
              }
              return null;
            })
        .whenComplete((v, e) -> h.transport().leases.closed(h));
  }

  /**
   * A new handle's information: from the CREATE response when the redirector knows the file id
   * ({@link CreateReply}), else one QUERY_INFO of FileAllInformation.
   */
  private static FileInfo infoAfterCreate(
      Exchange<?> ex, SmbHandle h, SMB2CreateResponse resp, SrvOpen srvOpen, String what) {
    FileInfo fromReply = CreateReply.info(resp, srvOpen, h.path);
    return fromReply != null ? fromReply : queryAll(ex, h, what);
  }

  /** MRxQueryFileInfo: FileAllInformation. */
  static CompletableFuture<FileInfo> queryInformation(RxContext ctx, SmbHandle h) {
    String what = "query " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.ready(ex, h, what);
          return queryAll(ex, h, what);
        });
  }

  private static FileInfo queryAll(Exchange<?> ex, SmbHandle h, String what) {
    byte[] out = queryInfo(ex, h, FileInformationClass.FileAllInformation, null, what);
    return FileInfos.fromAll(out, h.path);
  }

  static byte[] queryInfo(
      Exchange<?> ex,
      SmbHandle h,
      FileInformationClass fileClass,
      FileSystemInformationClass fsClass,
      String what) {
    SmbView.Binding b = h.binding;
    SMB2QueryInfoRequest req =
        new SMB2QueryInfoRequest(
            h.transport().dialect(),
            b.sessionId(),
            b.treeId(),
            h.fileId,
            fsClass == null
                ? SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_FILE
                : SMB2QueryInfoRequest.SMB2QueryInfoType.SMB2_0_INFO_FILESYSTEM,
            fileClass,
            fsClass,
            null,
            null);
    SMB2QueryInfoResponse resp = call(ex, b, req, h.transport().options().transactTimeout());
    return SmbStatuses.check(resp, what).getOutputBuffer();
  }

  /** MRxSetFileInfo: end of file, rename within the share, delete disposition, basic info. */
  static CompletableFuture<Void> setInformation(RxContext ctx, SmbHandle h, SetInfo info) {
    String what = "set " + info.getClass().getSimpleName() + " on " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.ready(ex, h, what);
          FileInfos.Encoded e = FileInfos.encode(info);
          SmbView.Binding b = h.binding;
          SMB2SetInfoRequest req =
              new SMB2SetInfoRequest(
                  h.transport().dialect(),
                  b.sessionId(),
                  b.treeId(),
                  SMB2SetInfoRequest.SMB2InfoType.SMB2_0_INFO_FILE,
                  h.fileId,
                  e.infoClass(),
                  null,
                  e.data());
          SmbStatuses.check(call(ex, b, req, h.transport().options().transactTimeout()), what);
          return null;
        });
  }

  /**
   * MRxQueryDirectory: every entry matching the pattern (the server matches it), "." and ".." left
   * out, sorted by name as the local mini-redirector sorts them.
   */
  static CompletableFuture<List<FileInfo>> queryDirectory(
      RxContext ctx, SmbHandle h, String pattern) {
    String what = "list " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          h.requireUsable(what);
          h.enumeration.lock();
          try {
            return list(ex, h, pattern, what);
          } finally {
            h.enumeration.unlock();
          }
        });
  }

  private static List<FileInfo> list(Exchange<?> ex, SmbHandle h, String pattern, String what) {
    SmbView.Binding b = h.binding;
    SmbTransport t = h.transport();
    List<FileInfo> out = new ArrayList<>();
    byte[] previous = null;
    for (boolean first = true; ; first = false) {
      SMB2QueryDirectoryRequest req =
          new SMB2QueryDirectoryRequest(
              t.dialect(),
              b.sessionId(),
              b.treeId(),
              h.fileId,
              FileInformationClass.FileIdBothDirectoryInformation,
              first
                  ? EnumSet.of(SMB2QueryDirectoryRequest.SMB2QueryDirectoryFlags.SMB2_RESTART_SCANS)
                  : EnumSet.noneOf(SMB2QueryDirectoryRequest.SMB2QueryDirectoryFlags.class),
              0,
              pattern,
              t.maxTransactSize());
      SMB2QueryDirectoryResponse resp = call(ex, b, req, t.options().transactTimeout());
      long st = resp.getHeader().getStatusCode();
      if (st == NO_MORE_FILES || (st == NO_SUCH_FILE && first)) {
        break;
      }
      byte[] buf = SmbStatuses.check(resp, what).getOutputBuffer();
      // some servers repeat their last answer instead of saying NO_MORE_FILES
      if (previous != null && Arrays.equals(previous, buf)) {
        break;
      }
      previous = buf;
      for (FileIdBothDirectoryInformation e :
          FileInformationFactory.parseFileInformationList(
              buf, FileInformationFactory.getDecoder(FileIdBothDirectoryInformation.class))) {
        if (!e.getFileName().equals(".") && !e.getFileName().equals("..")) {
          out.add(FileInfos.fromEntry(e));
        }
      }
    }
    out.sort(Comparator.comparing(FileInfo::name, String.CASE_INSENSITIVE_ORDER));
    return out;
  }

  /** MRxFlush. */
  static CompletableFuture<Void> flush(RxContext ctx, SmbHandle h) {
    String what = "flush " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.settleAndReport(ex, h, what);
          h.requireUsable(what);
          SmbView.Binding b = h.binding;
          SmbStatuses.check(
              call(
                  ex,
                  b,
                  new SMB2Flush(h.transport().dialect(), h.fileId, b.sessionId(), b.treeId()),
                  h.transport().options().writeTimeout()),
              what);
          return null;
        });
  }

  /** A FileSystemInformation class of the share's volume: its root opened, queried, closed. */
  static byte[] queryRoot(
      Exchange<?> ex,
      SmbView.Binding b,
      String shareName,
      FileSystemInformationClass fsClass,
      String what) {
    SmbHandle root = openRoot(ex, b, shareName, what);
    try {
      return queryInfo(ex, root, null, fsClass, what);
    } finally {
      close(root);
    }
  }

  /**
   * The share's root, opened to read its attributes (shared with everyone); the caller closes it.
   */
  private static SmbHandle openRoot(
      Exchange<?> ex, SmbView.Binding b, String shareName, String what) {
    SmbTransport t = b.transport();
    SMB2CreateRequest req =
        new SMB2CreateRequest(
            t.dialect(),
            b.sessionId(),
            b.treeId(),
            SMB2ImpersonationLevel.Impersonation,
            Access.accessMask(FileAccess.FILE_READ_ATTRIBUTES),
            null,
            Access.shareAccess(FileAccess.FILE_SHARE_ALL),
            Access.disposition(FileAccess.FILE_OPEN),
            Access.createOptions(FileAccess.FILE_DIRECTORY_FILE),
            new SmbPath(t.host(), shareName, ""));
    SMB2CreateResponse resp =
        SmbStatuses.check(
            HandleOps.<SMB2CreateResponse>call(ex, b, req, t.options().transactTimeout()), what);
    return new SmbHandle(null, b, resp.getFileId(), true, "");
  }

  /**
   * MRxQueryVolumeInfo: FileFsFullSizeInformation of the share's root, opened for the query. The
   * caller's available units are reported as free, as a Windows client shows them.
   */
  static CompletableFuture<long[]> queryVolume(RxContext ctx, SmbView view) {
    String what = "volume information of " + view.shareName();
    return Exchange.run(
        ctx,
        what,
        ex -> {
          byte[] out =
              queryRoot(
                  ex,
                  view.bind(),
                  view.shareName(),
                  FileSystemInformationClass.FileFsFullSizeInformation,
                  what);
          ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
          long total = bb.getLong(0);
          long callerFree = bb.getLong(8);
          long unit = (long) bb.getInt(24) * bb.getInt(28);
          return new long[] {total * unit, callerFree * unit};
        });
  }
}
