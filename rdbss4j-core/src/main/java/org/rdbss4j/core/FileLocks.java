package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte-range locks granted on an FCB (RDBSS's {@code Fcb->Specific.Fcb.FileLock}): the server
 * holds them too, but a server that granted a caching lease or oplock need not check locks on the
 * reads and writes of the lease holder (Samba's {@code strict locking = auto}), and opens that
 * share one lease or one collapsed SRV_OPEN are one holder to the server. So every read and write
 * is checked here against the locks of the other handles (FOBXs), as the Windows redirector checks
 * its file lock before cached I/O. A handle's own locks never stop its reads and writes.
 */
final class FileLocks {
  private record Lock(Fobx owner, long offset, long length, boolean exclusive) {
    /** Whether an access of {@code len > 0} bytes at {@code off} touches it; empty locks never. */
    boolean overlaps(long off, long len) {
      return length > 0 && offset < off + len && off < offset + length;
    }
  }

  private final List<Lock> locks = new ArrayList<>();

  synchronized void granted(Fobx owner, long offset, long length, boolean exclusive) {
    locks.add(new Lock(owner, offset, length, exclusive));
  }

  /** Unlock of the exact range (as the server requires); the first matching lock goes. */
  synchronized void released(Fobx owner, long offset, long length) {
    for (int i = 0; i < locks.size(); i++) {
      Lock l = locks.get(i);
      if (l.owner == owner && l.offset == offset && l.length == length) {
        locks.remove(i);
        return;
      }
    }
  }

  /** Cleanup of a handle: its locks go (the server drops them with the handle). */
  synchronized void releaseAll(Fobx owner) {
    locks.removeIf(l -> l.owner == owner);
  }

  /**
   * FsRtlCheckLockForReadAccess / ForWriteAccess: a read conflicts with another handle's exclusive
   * lock, a write with any lock of another handle.
   */
  synchronized void check(Fobx who, long offset, long length, boolean write) {
    if (locks.isEmpty() || length <= 0) {
      return;
    }
    for (Lock l : locks) {
      if (l.owner != who && (write || l.exclusive) && l.overlaps(offset, length)) {
        throw new RxException(
            NtStatus.FILE_LOCK_CONFLICT,
            (write ? "write" : "read")
                + " of "
                + length
                + " bytes at "
                + offset
                + " conflicts with a byte-range lock held through another handle");
      }
    }
  }
}
