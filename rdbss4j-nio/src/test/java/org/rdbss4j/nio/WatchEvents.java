package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.rdbss4j.core.RxContext;

/**
 * Reading a watch service in tests: events as text, collected until one matches; the change
 * notifications a file system has outstanding.
 */
final class WatchEvents {
  private WatchEvents() {}

  /** One event as text: kind and context. */
  static String text(WatchEvent<?> e) {
    return e.kind().name() + " " + e.context();
  }

  /** Takes keys and collects their events until one matches or 10 s pass. */
  static List<String> eventsUntil(WatchService ws, Predicate<String> done) throws Exception {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.stream().noneMatch(done)) {
      long left = deadline - System.nanoTime();
      assertThat(left).as("events so far: " + seen).isPositive();
      WatchKey k = ws.poll(left, TimeUnit.NANOSECONDS);
      if (k != null) {
        k.pollEvents().forEach(e -> seen.add(text(e)));
        k.reset();
      }
    }
    return seen;
  }

  /** The NOTIFY_CHANGE_DIRECTORY requests outstanding on {@code fs}'s connection. */
  static List<RxContext> outstandingNotifies(RdbssFileSystem fs) {
    return fs.vNetRoot().outstandingRequests().stream()
        .filter(c -> c.majorFunction() == RxContext.MajorFunction.NOTIFY_CHANGE_DIRECTORY)
        .toList();
  }
}
