package org.rdbss4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time used by processes between two moments, from Linux's {@code /proc/PID/stat} (user plus
 * system time of every thread, living or ended, in clock ticks of 10 ms), and of this JVM from its
 * own process clock (nanoseconds). Benchmarks on a shared machine swing with the neighbours; the
 * CPU a transfer costs its client and its server does not. The ticks are truncated at each reading:
 * up to 20 ms per process per window, about ±75 ms per GB on a 256 MiB transfer, so figures for
 * smbclient and smbd are coarser than the JVM's (use a larger transfer to compare them closely).
 */
final class CpuMeter {
  /** Linux's USER_HZ, fixed at 100 on every architecture the JDK runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private CpuMeter() {}

  /** CPU time this JVM has used, in nanoseconds (every thread, ended ones included). */
  static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time used so far by {@code pid} and each of its descendants, per process, in nanoseconds; a
   * process that is gone is left out.
   */
  static Map<Long, Long> treeNanos(long pid) {
    Map<Long, Long> out = new HashMap<>();
    put(out, pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> put(out, d.pid())));
    return out;
  }

  /** CPU time used by {@code pid} so far, in nanoseconds, or -1 when it is gone. */
  static long processNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name in field 2 may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // fields 14 and 15 of the line (utime, stime) are the 12th and 13th after the name
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** What the processes present in both snapshots used between them, in nanoseconds. */
  static long between(Map<Long, Long> before, Map<Long, Long> after) {
    long sum = 0;
    for (var e : after.entrySet()) {
      Long b = before.get(e.getKey());
      if (b != null && e.getValue() >= b) {
        sum += e.getValue() - b;
      }
    }
    return sum;
  }

  private static void put(Map<Long, Long> out, long pid) {
    long n = processNanos(pid);
    if (n >= 0) {
      out.put(pid, n);
    }
  }
}
