package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.messages.SMB2WriteResponse;
import com.hierynomus.smbj.session.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rdbss4j.core.Buffering;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SrvOpen;

/**
 * The SRV_OPEN's context: an SMB2 file id on the connection and session it was opened with, and the
 * byte-range locks taken through it (SMB2 locks belong to the handle, so the FOBX that took each is
 * remembered here to release them at its cleanup).
 */
final class SmbHandle {
  /** A byte range locked through this handle by {@code owner} (a FOBX, or the SRV_OPEN). */
  record LockedRange(Object owner, long offset, long length) {}

  /** The view that opened the handle, or null for a handle opened by the mini-redirector. */
  final SmbView view;

  final SmbView.Binding binding;
  final SMB2FileId fileId;
  final boolean directory;
  final String path;

  /** Serializes directory enumerations, whose position the server keeps per handle. */
  final ReentrantLock enumeration = new ReentrantLock();

  /**
   * The SRV_OPEN this handle is the context of, told about lease breaks; null for internal ones.
   */
  volatile SrvOpen srvOpen;

  /** The server's resume key for this handle as a server-side copy's source, once asked. */
  volatile byte[] resumeKey;

  /** The lease the handle was opened with, or null. */
  volatile Leases.Lease lease;

  /**
   * WRITEs completed to the caller before the server answered them (write-behind under a lease with
   * write caching, see {@link DataTransfer#write}), oldest first. Guarded by {@link #writeOrder}.
   */
  final ArrayDeque<DataTransfer.Pending<SMB2WriteResponse>> unconfirmed = new ArrayDeque<>();

  /** Held while WRITEs are sent or confirmed: a confirmation sees every WRITE sent before it. */
  final ReentrantLock writeOrder = new ReentrantLock();

  /** The first failure among confirmed writes, until a write, flush or close reports it. */
  private RxException writeFailure;

  private final List<LockedRange> locks = new ArrayList<>();
  private volatile boolean closed;

  SmbHandle(
      SmbView view, SmbView.Binding binding, SMB2FileId fileId, boolean directory, String path) {
    this.view = view;
    this.binding = binding;
    this.fileId = fileId;
    this.directory = directory;
    this.path = path;
  }

  SmbTransport transport() {
    return binding.transport();
  }

  Session session() {
    return binding.session().session;
  }

  long sessionId() {
    return binding.sessionId();
  }

  long treeId() {
    return binding.treeId();
  }

  /** Whether the handle went with a lost connection (it is not reopened). */
  boolean isLost() {
    return !binding.isAlive();
  }

  boolean isClosed() {
    return closed;
  }

  /** Marks the handle closed; true the first time. */
  boolean markClosed() {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    if (view != null) {
      view.handleClosed();
    }
    return true;
  }

  /**
   * Whether a write may complete before the server answered: the handle's lease lets this client
   * cache writes, so the server promises nobody else reads the file meanwhile; a failure is then
   * reported by the next write, flush or close, as for data the cache holds back.
   */
  boolean writesBehind() {
    Leases.Lease l = lease;
    SrvOpen s = srvOpen;
    return l != null
        && (l.state & LeaseWire.WRITE) != 0
        && s != null
        && s.buffering().contains(Buffering.WRITE);
  }

  /** Remembers a confirmed write's failure (the first one is kept). Under {@link #writeOrder}. */
  void failedWrite(RxException e) {
    if (writeFailure == null) {
      writeFailure = e;
    }
  }

  /** Whether a write failure waits to be reported. Under {@link #writeOrder}. */
  boolean hasWriteFailure() {
    return writeFailure != null;
  }

  /** Takes the remembered write failure, or null. Under {@link #writeOrder}. */
  RxException takeWriteFailure() {
    RxException e = writeFailure;
    writeFailure = null;
    return e;
  }

  /** Fails unless the handle can carry a request. */
  void requireUsable(String what) {
    if (closed) {
      throw new RxException(NtStatus.FILE_CLOSED, what + ": handle closed");
    }
    if (isLost()) {
      throw new RxException(
          NtStatus.CONNECTION_DISCONNECTED,
          what + ": the handle was lost with the connection to the server; open the file again");
    }
  }

  void addLock(LockedRange r) {
    synchronized (locks) {
      locks.add(r);
    }
  }

  /** Forgets one lock of {@code owner} on exactly this range; false if there is none. */
  boolean removeLock(Object owner, long offset, long length) {
    synchronized (locks) {
      for (int i = 0; i < locks.size(); i++) {
        LockedRange r = locks.get(i);
        if (r.owner() == owner && r.offset() == offset && r.length() == length) {
          locks.remove(i);
          return true;
        }
      }
      return false;
    }
  }

  /** Forgets and returns the locks of {@code owner}. */
  List<LockedRange> takeLocks(Object owner) {
    synchronized (locks) {
      List<LockedRange> l = new ArrayList<>();
      locks.removeIf(
          r -> {
            if (r.owner() == owner) {
              l.add(r);
              return true;
            }
            return false;
          });
      return l;
    }
  }

  boolean hasLocks() {
    synchronized (locks) {
      return !locks.isEmpty();
    }
  }

  @Override
  public String toString() {
    return "SmbHandle[" + path + (closed ? ", closed" : isLost() ? ", lost" : "") + "]";
  }
}
