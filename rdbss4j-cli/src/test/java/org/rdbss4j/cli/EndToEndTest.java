package org.rdbss4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End-to-end: the real {@code bin/rdr} against a real rdrd (started on demand) with a temporary
 * RDR_HOME, on the local mini-redirector's default share {@code \\local\share}, and the kernel's
 * FUSE for the mounts. The tests share one rdrd and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
  private static final String SHARE = "\\\\local\\share";
  private RdrHarness h;

  @BeforeAll
  void start() throws Exception {
    h = new RdrHarness();
    RdrHarness.Result r = h.run("use");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("There are no entries in the list.");
    assertThat(h.pid()).isPositive();
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  private boolean fuse() throws Exception {
    return h.run("service", "status").out().contains("FUSE          available");
  }

  @Test
  @Order(1)
  void useListAndDeleteWithOrdinaryPrograms() throws Exception {
    RdrHarness.Result r = h.run("use", "X:", SHARE);
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("The command completed successfully.");
    r = h.run("use");
    assertThat(r.out()).containsPattern("OK\\s+X:\\s+\\\\\\\\local\\\\share");
    if (fuse()) {
      Path x = h.home.resolve("mnt/X");
      assertThat(r.out()).contains(x.toString());
      RdrHarness.Result sh =
          h.exec(
              List.of(
                  "sh",
                  "-c",
                  "cd \"$1\" && echo hello > X/a.txt && cat X/a.txt && cp X/a.txt X/b.txt && mkdir X/d"
                      + " && mv X/b.txt X/d/c.txt && ls X X/d && rm X/d/c.txt && rmdir X/d"
                      + " && truncate -s 3 X/a.txt && stat -c size=%s X/a.txt"
                      + " && touch -d 2001-02-03T12:00:00 X/a.txt && stat -c mtime=%y X/a.txt",
                  "_",
                  h.home.resolve("mnt").toString()),
              null,
              List.of());
      assertThat(sh.code()).as(sh.all()).isZero();
      assertThat(sh.out()).contains("hello").contains("a.txt").contains("c.txt");
      assertThat(sh.out()).contains("size=3").contains("mtime=2001-02-03");
      assertThat(Files.readString(h.share.resolve("a.txt"))).isEqualTo("hel");
      assertThat(h.share.resolve("d")).doesNotExist();
    }
    r = h.run("use", "X:", "/delete");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("X: was deleted successfully.");
    assertThat(h.run("use").out()).contains("There are no entries in the list.");
    assertThat(RdrHarness.mounted(h.home.resolve("mnt/X"))).isFalse();
  }

  @Test
  @Order(2)
  void heldFileFailsDeleteUntilForcedThenFailsWithEio() throws Exception {
    assumeTrue(fuse(), "FUSE not available");
    Files.writeString(h.share.resolve("held.txt"), "data\n");
    assertThat(h.run("use", "Y:", SHARE).code()).isZero();
    Path file = h.home.resolve("mnt/Y/held.txt");
    ProcessBuilder pb =
        h.builder(
            List.of(
                "bash",
                "-c",
                "exec 3<\"$1\"; echo ready; read line; cat <&3; echo \"cat=$?\"; exec 3<&-;"
                    + " echo closed",
                "_",
                file.toString()));
    Process holder = pb.redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");

    RdrHarness.Result r = h.run("use", "Y:", "/delete");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("System error 2401 has occurred.")
        .contains("There are open files on the connection.");
    r = h.run("use", "Y:", "/delete", "/n");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("System error 2401 has occurred.");
    r = h.run("use", "Y:", "/delete", "/force:2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("System error 87 has occurred.", "The parameter is incorrect.");
    r = h.run("use", "Y:", "/delete", "/lazy");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("System error 2401 has occurred.");
    assertThat(h.run("use").out()).contains("Y:");

    r = h.run("use", "Y:", "/delete", "/y");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("Y: was deleted successfully.");
    try (OutputStream in = holder.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
    }
    String rest = new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(holder.waitFor()).isZero();
    assertThat(rest).contains("Input/output error").contains("cat=1").contains("closed");
    RdrHarness.waitFor("Y: unmounted", () -> !Files.exists(h.home.resolve("mnt/Y")));
    assertThat(h.run("use").out()).doesNotContain("Y:");
  }

  @Test
  @Order(3)
  void pendingWatchFailsDeleteAndIsCancelledByForce() throws Exception {
    Files.createDirectories(h.share.resolve("watched"));
    assertThat(h.run("use", "W:", SHARE).code()).isZero();
    Process watch =
        h.builder(List.of(h.rdr().toString(), "watch", "W:\\watched", "/subtree")).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).startsWith("Watching W:\\watched");
    Files.writeString(h.share.resolve("watched/new.txt"), "x");
    assertThat(out.readLine()).contains("ADDED").contains("new.txt");

    RdrHarness.Result r = h.run("use", "W:", "/delete");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("System error 2404 has occurred.")
        .contains("The device is being accessed by an active process.");
    assertThat(h.run("status").out()).contains("outstanding NOTIFY_CHANGE_DIRECTORY");

    r = h.run("use", "W:", "/delete", "/y");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(watch.waitFor()).isEqualTo(2);
    String err = new String(watch.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(err).contains("System error 1223 has occurred.");
  }

  @Test
  @Order(4)
  void closeTransportLeavesNoDormantServerConnection() throws Exception {
    assertThat(h.run("use", "T:", SHARE).code()).isZero();
    assertThat(h.run("use", "T:", "/delete").code()).isZero();
    RdrHarness.Result s = h.run("status");
    assertThat(s.out()).contains("SRV_CALL \\local").contains("DORMANT transport");
    assertThat(h.run("use", "T:", SHARE).code()).isZero();
    RdrHarness.Result r = h.run("use", "T:", "/delete", "/closetransport");
    assertThat(r.code()).as(r.all()).isZero();
    RdrHarness.waitFor(
        "the transport closed",
        () -> {
          try {
            return h.run("status", "--json").out().contains("\"srvCalls\":[]");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  @Order(5)
  void copyShowsProgressForLargeFiles() throws Exception {
    assertThat(h.run("use", "C:", SHARE).code()).isZero();
    byte[] data = new byte[6 << 20];
    new Random(7).nextBytes(data);
    Path src = h.home.resolve("big.bin");
    Files.write(src, data);
    RdrHarness.Result r =
        h.runWith(null, List.of("RDR_PROGRESS=1"), "copy", src.toString(), "C:\\big.bin");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("1 file(s) copied.");
    assertThat(r.err()).contains("100%").contains("6.0 / 6.0 MiB");
    assertThat(r.err()).doesNotContain("copied by the server");
    assertThat(Files.readAllBytes(h.share.resolve("big.bin"))).isEqualTo(data);
    Path back = h.home.resolve("back.bin");
    r = h.run("copy", "\\\\local\\share\\big.bin", back.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(data);
    // within the share the server copies; a local file is streamed (no such line above)
    r = h.runWith(null, List.of("RDR_PROGRESS=1"), "copy", "C:\\big.bin", "C:\\twin.bin");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.err()).contains("copied by the server").contains("6.0 / 6.0 MiB");
    assertThat(Files.readAllBytes(h.share.resolve("twin.bin"))).isEqualTo(data);
    // the copy back read the file through the data cache: rdr status shows its figures
    RdrHarness.Result st = h.run("status");
    assertThat(st.out()).containsPattern("Data cache: [0-9.]+ [KMG]?i?B cached of 64.0 MiB budget");
    assertThat(st.out()).containsPattern("misses [1-9][0-9]*");
    assertThat(h.run("status", "--json").out()).contains("\"dataCache\":{\"budget\":67108864");
    assertThat(h.run("use", "C:", "/delete").code()).isZero();
  }

  @Test
  @Order(6)
  void passwordOnTheCommandLineIsRefusedAndStdinIsRead() throws Exception {
    RdrHarness.Result r = h.run("use", "Q:", SHARE, "s3cr3t-cmdline");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("password on the command line is refused", "*", "RDR_PASSWORD");
    assertThat(h.run("use").out()).doesNotContain("Q:");
    r = h.runWith("s3cr3t-stdin\n", List.of(), "use", "Q:", SHARE, "/user:DOM\\bob", "*");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(h.run("use", "Q:", "/d").code()).isZero();
    assertThat(h.log()).doesNotContain("s3cr3t");
  }

  @Test
  @Order(7)
  void garbageFramesGetErrorRepliesAndTheServiceKeepsRunning() throws Exception {
    ControlProbe.garbage(h.home.resolve("rdrd.sock"));
    assertThat(h.run("service", "status").code()).isZero();
  }

  @Test
  @Order(8)
  void anotherUidIsRefusedAtTheSocket() throws Exception {
    // nobody must reach bin/rdr and the classes it runs: a checkout in a mktemp directory (0700)
    // is opened for traversal by others for this test only
    List<Path> opened = traversableByOthers(h.rdr().getParent());
    try {
      refusedAsNobody();
    } finally {
      for (Path d : opened) {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
        p.remove(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(d, p);
      }
    }
  }

  /** Adds others' execute permission to {@code dir} and its parents that lack it; returns them. */
  private static List<Path> traversableByOthers(Path dir) throws Exception {
    List<Path> changed = new java.util.ArrayList<>();
    for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(d);
      if (p.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(d, p);
        changed.add(d);
      }
    }
    return changed;
  }

  private void refusedAsNobody() throws Exception {
    List<String> asNobody =
        List.of(
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            h.rdr().toString(),
            "use");
    RdrHarness.Result r = h.exec(asNobody, null, List.of());
    assertThat(r.code()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("System error 5 has occurred.", "Access is denied.");
    Path sock = h.home.resolve("rdrd.sock");
    try {
      Files.setPosixFilePermissions(
          h.home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(
          sock, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
      r = h.exec(asNobody, null, List.of());
      assertThat(r.code()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains("System error 5 has occurred.", "Access is denied.");
      assertThat(h.log()).contains("refused a connection from user nobody");
    } finally {
      Files.setPosixFilePermissions(
          h.home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(
          sock, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(h.run("service", "status").code()).isZero();
  }

  @Test
  @Order(9)
  void persistentConnectionsAreRestoredAfterARestart() throws Exception {
    assertThat(h.run("use", "P:", SHARE, "/persistent:yes").code()).isZero();
    assertThat(h.run("use", "N:", SHARE, "/persistent:no").code()).isZero();
    long pid = h.pid();
    RdrHarness.Result r = h.run("service", "stop");
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("The rdrd service was stopped successfully.");
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(RdrHarness.mounted(h.home.resolve("mnt/P"))).isFalse();
    assertThat(Files.readString(h.home.resolve("connections"))).contains("P:").doesNotContain("N:");

    r = h.run("use");
    assertThat(h.pid()).isNotEqualTo(pid);
    assertThat(r.out()).containsPattern("OK\\s+P:").doesNotContain("N:");
    if (fuse()) {
      assertThat(RdrHarness.mounted(h.home.resolve("mnt/P"))).isTrue();
    }
    assertThat(h.run("use", "P:", "/delete").code()).isZero();
    assertThat(Files.readString(h.home.resolve("connections"))).doesNotContain("P:");
  }
}
