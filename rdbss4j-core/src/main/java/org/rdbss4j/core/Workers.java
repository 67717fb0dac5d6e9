package org.rdbss4j.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The redirector's background work (transport finalization, read-ahead, break handling, listener
 * calls), each task on a virtual thread, counted while it runs so that {@link Redirector#drain()}
 * can wait until none is left to drop a reference after it looked.
 */
final class Workers implements Executor {
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private int running;

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      running++;
    }
    try {
      threads.execute(
          () -> {
            try {
              task.run();
            } finally {
              done();
            }
          });
    } catch (RuntimeException e) {
      done();
      throw e;
    }
  }

  private synchronized void done() {
    running--;
    notifyAll();
  }

  /** Waits until no task runs, up to {@code millis}; false if some still ran then. */
  synchronized boolean awaitIdle(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (running > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  void shutdown() {
    threads.shutdown();
  }
}
