package org.rdbss4j.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition in tests: Samba updates its session tables asynchronously. */
final class Eventually {
  private Eventually() {}

  static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
