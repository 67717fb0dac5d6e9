package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_APPEND_DATA;
import static org.rdbss4j.core.FileAccess.FILE_EXECUTE;
import static org.rdbss4j.core.FileAccess.FILE_READ_DATA;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_DELETE;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_READ;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_WRITE;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * The open files of a local mini-redirector and the sharing modes among their handles, enforced as
 * a Windows server does across all sessions (IoCheckShareAccess): read or execute access needs
 * every other handle to share read, write or append needs share-write, delete needs share-delete,
 * and in the other direction a new handle must share whatever the open handles use. Handles that
 * ask for none of read, write, append, execute or delete (attributes only, synchronize,
 * read-control) neither conflict nor restrict.
 *
 * <p>Its lock is the namespace lock of the mini-redirector: opens, closes, renames and deletes run
 * under it, and nothing waits for anything else while holding it.
 */
final class ShareAccessTable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Object, FileNode> nodes = new HashMap<>();

  /** The namespace lock. */
  ReentrantLock lock() {
    return lock;
  }

  /** The node of an open file, or {@code null} when no handle has it open. Lock held. */
  FileNode find(Object key) {
    return nodes.get(key);
  }

  /** The node for a file, created if no handle has it open. Lock held. */
  FileNode node(Object key, Path path, boolean directory) {
    return nodes.computeIfAbsent(key, k -> new FileNode(k, path, directory));
  }

  /**
   * Adds a handle to its node: DELETE_PENDING when the file is being deleted, SHARING_VIOLATION
   * when its access or sharing conflicts with a handle already open. Lock held.
   */
  void add(LocalHandle h) {
    FileNode n = h.node;
    if (n.deletePending) {
      dropIfUnused(n);
      throw new RxException(NtStatus.DELETE_PENDING, "the file is being deleted");
    }
    for (LocalHandle o : n.handles) {
      if (conflicts(h.access, h.shareAccess, o.access, o.shareAccess)) {
        dropIfUnused(n);
        throw new RxException(
            NtStatus.SHARING_VIOLATION, "the file is open with incompatible sharing");
      }
    }
    n.handles.add(h);
  }

  /** Removes a handle; returns whether it was its file's last. Lock held. */
  boolean remove(LocalHandle h) {
    FileNode n = h.node;
    n.handles.remove(h);
    return dropIfUnused(n);
  }

  private boolean dropIfUnused(FileNode n) {
    if (n.handles.isEmpty()) {
      nodes.remove(n.key, n);
      return true;
    }
    return false;
  }

  /** Whether no file is open. Lock held. */
  boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** Whether a file open at or below {@code dir} (other than {@code except}) exists. Lock held. */
  boolean anyOpenBelow(Path dir, FileNode except) {
    for (FileNode n : nodes.values()) {
      if (n != except && n.path().startsWith(dir) && !n.path().equals(dir)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the access mask takes part in sharing checks at all. */
  static boolean usesData(int access) {
    return (access & (FILE_READ_DATA | FILE_EXECUTE | FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE))
        != 0;
  }

  /** Whether two handles' access and sharing are incompatible (in either direction). */
  static boolean conflicts(int access1, int share1, int access2, int share2) {
    if (!usesData(access1) || !usesData(access2)) {
      return false;
    }
    return denies(access1, share2) || denies(access2, share1);
  }

  /** Whether a handle with {@code access} is refused by another's {@code share}. */
  private static boolean denies(int access, int share) {
    boolean read = (access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    boolean write = (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    boolean delete = (access & DELETE) != 0;
    return (read && (share & FILE_SHARE_READ) == 0)
        || (write && (share & FILE_SHARE_WRITE) == 0)
        || (delete && (share & FILE_SHARE_DELETE) == 0);
  }
}
