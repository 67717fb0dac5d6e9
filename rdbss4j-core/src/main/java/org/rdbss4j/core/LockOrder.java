package org.rdbss4j.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lock order of rdbss4j, outermost first, as in RDBSS.md part B section 7:
 *
 * <ol>
 *   <li>{@link #PREFIX_TABLE}: the redirector's net-name (prefix) table, a reader/writer lock;
 *       exclusive for creating or finalizing a SRV_CALL, NET_ROOT or V_NET_ROOT;
 *   <li>{@link #FCB_TABLE}: a NET_ROOT's FCB table, exclusive for creating or finalizing an FCB,
 *       SRV_OPEN or FOBX;
 *   <li>{@link #FCB}: an FCB's resource;
 *   <li>{@link #PAGING_IO}: an FCB's paging I/O resource ({@link DataCache}), held across the
 *       mini-redirector reads and writes that fill or write back the FCB's cached pages;
 *   <li>{@link #DATA_CACHE}: the data cache's page table, held only to look up, copy and account
 *       pages, never across a call out;
 *   <li>{@link #SCAVENGER}: the scavenger mutex, held only inside reference, dereference and
 *       marking, never across a call out.
 * </ol>
 *
 * <p>A thread that holds an FCB and needs its FCB table releases the FCB first. Nothing blocks on
 * the network while holding the prefix table: mini-redirector construction calls run with it
 * released. Every lock of the core is an {@link OrderedLock} that checks this order on each
 * acquisition, per thread, and counts violations so tests can assert there were none.
 */
public final class LockOrder {
  public static final int PREFIX_TABLE = 1;
  public static final int FCB_TABLE = 2;
  public static final int FCB = 3;
  public static final int PAGING_IO = 4;
  public static final int DATA_CACHE = 5;
  public static final int SCAVENGER = 6;

  private static final AtomicLong VIOLATIONS = new AtomicLong();
  private static final ThreadLocal<Deque<OrderedLock>> HELD =
      ThreadLocal.withInitial(ArrayDeque::new);

  private LockOrder() {}

  /** How many out-of-order acquisitions this JVM has seen. */
  public static long violations() {
    return VIOLATIONS.get();
  }

  /** Whether the current thread holds any core lock (used to assert lock-free call-outs). */
  public static boolean holdsAny() {
    return !HELD.get().isEmpty();
  }

  /** Whether the current thread holds a lock of the given level. */
  public static boolean holds(int level) {
    for (OrderedLock l : HELD.get()) {
      if (l.level() == level) {
        return true;
      }
    }
    return false;
  }

  static void beforeAcquire(OrderedLock lock) {
    Deque<OrderedLock> held = HELD.get();
    for (OrderedLock h : held) {
      if (h == lock) {
        return; // re-entrant acquisition of a lock already held
      }
    }
    OrderedLock top = held.peek();
    if (top != null && top.level() > lock.level()) {
      VIOLATIONS.incrementAndGet();
      throw new IllegalStateException(
          "lock order violated: acquiring " + lock.name() + " while holding " + top.name());
    }
  }

  static void acquired(OrderedLock lock) {
    HELD.get().push(lock);
  }

  static void released(OrderedLock lock) {
    Deque<OrderedLock> held = HELD.get();
    held.removeFirstOccurrence(lock);
  }
}
