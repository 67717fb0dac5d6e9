package org.rdbss4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The net.exe prompt of {@code rdr use X: /delete} on a terminal (a pty from {@code script}), and
 * POSIX record locks through the FUSE mount becoming RDBSS byte-range locks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptAndLocksTest {
  private static final String SHARE = "\\\\local\\share";
  private RdrHarness h;
  private Path mnt;

  @BeforeAll
  void start() throws Exception {
    h = new RdrHarness();
    assertThat(h.run("use", "L:", SHARE).code()).isZero();
    assumeTrue(h.run("service", "status").out().contains("FUSE          available"));
    mnt = h.home.resolve("mnt/L");
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  private Process hold(Path file) throws Exception {
    Process p =
        h.builder(
                List.of("bash", "-c", "exec 3<\"$1\"; echo ready; read line", "_", file.toString()))
            .start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(r.readLine()).isEqualTo("ready");
    return p;
  }

  private RdrHarness.Result onTerminal(String answer, String command) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is missing");
    return h.exec(
        List.of("/usr/bin/script", "-qec", h.rdr() + " " + command, "/dev/null"),
        answer + "\n",
        List.of());
  }

  @Test
  void deleteOnATerminalAsksAndYesForcesTheFilesClosed() throws Exception {
    Files.writeString(h.share.resolve("p.txt"), "x");
    Process holder = hold(mnt.resolve("p.txt"));
    try {
      RdrHarness.Result no = onTerminal("N", "use L: /delete");
      assertThat(no.code()).isEqualTo(2);
      assertThat(no.out())
          .contains(
              "There are open files and/or incomplete directory searches pending on the"
                  + " connection to L:.")
          .contains("Is it OK to continue disconnecting and force them closed? (Y/N) [N]:")
          .contains("System error 2401 has occurred.");
      RdrHarness.Result notTty = h.run("use", "L:", "/delete");
      assertThat(notTty.code()).isEqualTo(2);
      assertThat(notTty.out()).doesNotContain("(Y/N)");
      RdrHarness.Result yes = onTerminal("Y", "use L: /delete");
      assertThat(yes.code()).as(yes.all()).isZero();
      assertThat(yes.out()).contains("L: was deleted successfully.");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    assertThat(h.run("use", "L:", SHARE).code()).isZero();
  }

  @Test
  void posixLocksThroughTheMountAreByteRangeLocks() throws Exception {
    assumeTrue(h.exec(List.of("python3", "-c", "import fcntl"), null, List.of()).code() == 0);
    Files.writeString(h.share.resolve("lock.txt"), "data");
    String script =
        "import fcntl,sys,time\n"
            + "f=open(sys.argv[1],'r+')\n"
            + "try:\n"
            + "  fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB,4,0)\n"
            + "except OSError as e:\n"
            + "  print('denied',e.errno,flush=True); sys.exit(0)\n"
            + "print('locked',flush=True); sys.stdin.readline()\n"
            + "fcntl.lockf(f,fcntl.LOCK_UN,4,0); print('unlocked',flush=True)\n";
    String file = mnt.resolve("lock.txt").toString();
    Process first = h.builder(List.of("python3", "-c", script, file)).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("locked");
    RdrHarness.Result second = h.exec(List.of("python3", "-c", script, file), "\n", List.of());
    assertThat(second.out()).contains("denied 11");
    first.getOutputStream().close();
    assertThat(out.readLine()).isEqualTo("unlocked");
    first.waitFor();
    RdrHarness.Result third = h.exec(List.of("python3", "-c", script, file), "\n", List.of());
    assertThat(third.out()).contains("locked").contains("unlocked");
  }
}
