package org.rdbss4j.local;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * The byte-range locks of one file, shared by every handle on it (a lock manager of our own: {@code
 * FileChannel.lock} is per process and cannot tell our handles apart).
 *
 * <p>The rules are those of Windows (MS-FSA 2.1.4.10, 2.1.5.8, 2.1.5.9): ranges overlap when they
 * share a byte, so a zero-length range conflicts only with a lock strictly around its offset and
 * {0, 0} with nothing; an exclusive lock conflicts with every overlapping lock except a shared
 * request of its own owner; a shared lock conflicts with exclusive requests, its owner's included.
 * Reads conflict with other owners' exclusive locks, writes also with every shared lock. Unlock
 * needs the exact range of one of the owner's locks (exclusive ones first), else RANGE_NOT_LOCKED.
 *
 * <p>The owner is the caller's handle (the FOBX); waiting requests are granted in arrival order as
 * soon as they no longer conflict.
 */
final class ByteRangeLocks {
  /** One granted lock. */
  record Lock(Object owner, LocalHandle handle, long offset, long length, boolean exclusive) {}

  private record Waiter(Lock lock, CompletableFuture<Void> future) {}

  private final List<Lock> locks = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  /**
   * Requests a lock. Granted at once if nothing conflicts; otherwise fails with LOCK_NOT_GRANTED
   * when {@code failImmediately}, or waits, with a cancel routine installed on {@code ctx}.
   */
  CompletableFuture<Void> lock(RxContext ctx, Lock request, boolean failImmediately) {
    Waiter w;
    synchronized (this) {
      if (!conflictsWithLocks(request)) {
        locks.add(request);
        return CompletableFuture.completedFuture(null);
      }
      if (failImmediately) {
        return CompletableFuture.failedFuture(
            new RxException(NtStatus.LOCK_NOT_GRANTED, "range locked by another handle"));
      }
      w = new Waiter(request, new CompletableFuture<>());
      waiters.add(w);
    }
    ctx.setCancelRoutine(() -> withdraw(w, "lock request cancelled"));
    return w.future;
  }

  /** Removes one of the owner's locks with exactly this range. */
  void unlock(Object owner, long offset, long length) {
    synchronized (this) {
      Lock found = null;
      for (Lock l : locks) {
        if (l.owner() == owner && l.offset() == offset && l.length() == length) {
          found = l;
          if (l.exclusive()) {
            break;
          }
        }
      }
      if (found == null) {
        throw new RxException(
            NtStatus.RANGE_NOT_LOCKED, "no lock on " + offset + "+" + length + " by this handle");
      }
      locks.remove(found);
    }
    grantWaiters();
  }

  /** Releases the owner's locks and withdraws its waiting requests (its handle was cleaned up). */
  void releaseOwner(Object owner) {
    release(owner, null);
  }

  /** Releases the locks and withdraws the waiting requests of every owner on this handle. */
  void releaseHandle(LocalHandle handle) {
    release(null, handle);
  }

  private void release(Object owner, LocalHandle handle) {
    List<Waiter> withdrawn = new ArrayList<>();
    synchronized (this) {
      locks.removeIf(l -> l.owner() == owner || l.handle() == handle);
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.lock().owner() == owner || w.lock().handle() == handle) {
          it.remove();
          withdrawn.add(w);
        }
      }
    }
    for (Waiter w : withdrawn) {
      w.future().completeExceptionally(new RxException(NtStatus.CANCELLED, "handle closed"));
    }
    grantWaiters();
  }

  /** Whether I/O by {@code owner} on the range conflicts with a lock (mandatory locking). */
  synchronized boolean conflictsWithIo(Object owner, long offset, long length, boolean write) {
    return conflicts(owner, null, offset, length, write);
  }

  /**
   * As {@link #conflictsWithIo(Object, long, long, boolean)} for an access by any of {@code
   * owners}.
   */
  synchronized boolean conflictsWithIo(
      java.util.Set<?> owners, long offset, long length, boolean write) {
    return conflicts(null, owners, offset, length, write);
  }

  /** A lock is the accessor's if its owner is {@code owner} or one of {@code owners}. */
  private boolean conflicts(
      Object owner, java.util.Set<?> owners, long offset, long length, boolean write) {
    if (length == 0) {
      return false;
    }
    for (Lock l : locks) {
      if (!overlaps(offset, length, l.offset(), l.length())) {
        continue;
      }
      boolean own = l.owner() == owner || (owners != null && owners.contains(l.owner()));
      if (l.exclusive() ? !own : write) {
        return true;
      }
    }
    return false;
  }

  /** Whether any lock or waiter remains. */
  synchronized boolean isEmpty() {
    return locks.isEmpty() && waiters.isEmpty();
  }

  private void withdraw(Waiter w, String why) {
    boolean removed;
    synchronized (this) {
      removed = waiters.remove(w);
    }
    if (removed) {
      w.future().completeExceptionally(new RxException(NtStatus.CANCELLED, why));
    }
  }

  /** Grants the waiting requests that no longer conflict, in arrival order. */
  private void grantWaiters() {
    while (true) {
      List<Waiter> granted = new ArrayList<>();
      synchronized (this) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
          Waiter w = it.next();
          if (!conflictsWithLocks(w.lock())) {
            it.remove();
            locks.add(w.lock());
            granted.add(w);
          }
        }
      }
      boolean rolledBack = false;
      for (Waiter w : granted) {
        if (!w.future().complete(null)) {
          synchronized (this) {
            locks.remove(w.lock());
          }
          rolledBack = true;
        }
      }
      if (!rolledBack) {
        return;
      }
    }
  }

  private boolean conflictsWithLocks(Lock r) {
    for (Lock l : locks) {
      if (!overlaps(r.offset(), r.length(), l.offset(), l.length())) {
        continue;
      }
      if (l.exclusive()) {
        if (l.owner() != r.owner() || r.exclusive()) {
          return true;
        }
      } else if (r.exclusive()) {
        return true;
      }
    }
    return false;
  }

  /** MS-FSA overlap: the ranges share a byte; {0, 0} overlaps nothing. */
  static boolean overlaps(long off1, long len1, long off2, long len2) {
    if ((off1 == 0 && len1 == 0) || (off2 == 0 && len2 == 0)) {
      return false;
    }
    long last1 = off1 + len1 - 1;
    long last2 = off2 + len2 - 1;
    return off1 <= last2 && last1 >= off2;
  }
}
