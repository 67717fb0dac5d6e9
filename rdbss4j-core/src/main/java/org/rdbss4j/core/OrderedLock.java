package org.rdbss4j.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A reader/writer lock that checks {@link LockOrder} on every acquisition. Like an ERESOURCE, an
 * exclusive owner may re-acquire it shared or exclusive, but a shared owner asking for exclusive
 * would deadlock: that is refused with an {@link IllegalStateException} instead.
 */
public final class OrderedLock {
  private final int level;
  private final String name;
  private final ReentrantReadWriteLock rw;
  private final ReentrantLock exclusiveOnly;

  private OrderedLock(int level, String name, boolean readWrite) {
    this.level = level;
    this.name = name;
    this.rw = readWrite ? new ReentrantReadWriteLock() : null;
    this.exclusiveOnly = readWrite ? null : new ReentrantLock();
  }

  /** A reader/writer lock at this level. */
  public static OrderedLock readWrite(int level, String name) {
    return new OrderedLock(level, name, true);
  }

  /** An exclusive-only lock at this level. */
  public static OrderedLock exclusive(int level, String name) {
    return new OrderedLock(level, name, false);
  }

  public int level() {
    return level;
  }

  public String name() {
    return name;
  }

  /** Acquires exclusive, waiting. */
  public void lockExclusive() {
    LockOrder.beforeAcquire(this);
    checkNoUpgrade();
    if (rw != null) {
      rw.writeLock().lock();
    } else {
      exclusiveOnly.lock();
    }
    LockOrder.acquired(this);
  }

  /** Acquires exclusive only if it is free now (a context that may not wait). */
  public boolean tryLockExclusive() {
    LockOrder.beforeAcquire(this);
    checkNoUpgrade();
    boolean ok = rw != null ? rw.writeLock().tryLock() : exclusiveOnly.tryLock();
    if (ok) {
      LockOrder.acquired(this);
    }
    return ok;
  }

  /** Acquires exclusive, waiting at most the given time. */
  public boolean tryLockExclusive(long timeout, TimeUnit unit) throws InterruptedException {
    LockOrder.beforeAcquire(this);
    checkNoUpgrade();
    boolean ok =
        rw != null ? rw.writeLock().tryLock(timeout, unit) : exclusiveOnly.tryLock(timeout, unit);
    if (ok) {
      LockOrder.acquired(this);
    }
    return ok;
  }

  public void unlockExclusive() {
    if (rw != null) {
      rw.writeLock().unlock();
    } else {
      exclusiveOnly.unlock();
    }
    LockOrder.released(this);
  }

  /** Acquires shared, waiting. */
  public void lockShared() {
    LockOrder.beforeAcquire(this);
    if (rw != null) {
      rw.readLock().lock();
    } else {
      exclusiveOnly.lock();
    }
    LockOrder.acquired(this);
  }

  public void unlockShared() {
    if (rw != null) {
      rw.readLock().unlock();
    } else {
      exclusiveOnly.unlock();
    }
    LockOrder.released(this);
  }

  /** Whether the current thread holds it exclusive. */
  public boolean isHeldExclusive() {
    return rw != null ? rw.isWriteLockedByCurrentThread() : exclusiveOnly.isHeldByCurrentThread();
  }

  /** Whether the current thread holds it in either mode. */
  public boolean isHeld() {
    return isHeldExclusive() || (rw != null && rw.getReadHoldCount() > 0);
  }

  private void checkNoUpgrade() {
    if (rw != null && !rw.isWriteLockedByCurrentThread() && rw.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          name + ": shared to exclusive upgrade would deadlock (as with an ERESOURCE)");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
