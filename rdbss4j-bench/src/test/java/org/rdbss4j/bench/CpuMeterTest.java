package org.rdbss4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

  /** Spins until this thread has used {@code millis} of CPU time. */
  private static long spin(long millis) {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = bean.getCurrentThreadCpuTime() + millis * 1_000_000L;
    long x = 0;
    while (bean.getCurrentThreadCpuTime() < end) {
      x += System.nanoTime() & 7;
    }
    return x;
  }

  @Test
  void thisProcessesCpuGrowsWithWorkByProcAsByTheJvmsClock() {
    long pid = ProcessHandle.current().pid();
    long proc0 = CpuMeter.processNanos(pid);
    long jvm0 = CpuMeter.jvmNanos();
    spin(300);
    long proc = CpuMeter.processNanos(pid) - proc0;
    long jvm = CpuMeter.jvmNanos() - jvm0;

    assertThat(proc0).isPositive();
    assertThat(jvm).isGreaterThanOrEqualTo(300_000_000L);
    // /proc counts in ticks of 10 ms: at least the work done, less a tick either end
    assertThat(proc).isGreaterThanOrEqualTo(280_000_000L);
  }

  @Test
  void aTreeCountsItsChildrenAndAGoneProcessIsLeftOut() throws Exception {
    Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    try {
      Map<Long, Long> before = CpuMeter.treeNanos(ProcessHandle.current().pid());
      assertThat(before).containsKey(child.pid());
      Thread.sleep(400);
      Map<Long, Long> after = CpuMeter.treeNanos(ProcessHandle.current().pid());

      long childOnly = after.get(child.pid()) - before.get(child.pid());
      assertThat(childOnly).isGreaterThanOrEqualTo(100_000_000L);
      assertThat(CpuMeter.between(before, after)).isGreaterThanOrEqualTo(childOnly);

      child.destroy();
      assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(CpuMeter.processNanos(child.pid())).isEqualTo(-1);
      Map<Long, Long> gone = CpuMeter.treeNanos(ProcessHandle.current().pid());
      assertThat(gone).doesNotContainKey(child.pid());
      // only processes in both snapshots count: the ended child adds nothing
      assertThat(CpuMeter.between(Map.of(child.pid(), 0L), gone)).isZero();
    } finally {
      child.destroyForcibly();
    }
  }
}
