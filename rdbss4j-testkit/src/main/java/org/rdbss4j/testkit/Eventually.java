package org.rdbss4j.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition in tests (every 50 ms): Samba updates its tables asynchronously, and the
 * redirector's background work ends on its own threads.
 */
public final class Eventually {
  private Eventually() {}

  /**
   * Whether {@code condition} held within {@code timeout}; false at once if the thread is
   * interrupted (the flag is kept).
   */
  public static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
