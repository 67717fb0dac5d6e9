package org.rdbss4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rdbss4j.testkit.SambaExtension;
import org.rdbss4j.testkit.SambaServer;

/**
 * End-to-end against the test kit's Samba: the real {@code bin/rdr} maps a share of a real smbd
 * (password on standard input after {@code *}), ordinary programs use it through the FUSE mount, a
 * held descriptor makes {@code /delete} fail with 2401, {@code /y} forces it (the descriptor then
 * fails with EIO) and the server's tree connect goes once the orphaned handle is closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmbEndToEndTest {
  @RegisterExtension static final SambaExtension SAMBA = new SambaExtension();

  private RdrHarness h;

  @BeforeAll
  void start() throws Exception {
    h = new RdrHarness();
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  @Test
  void mapUseHoldAndForceDeleteOnSamba() throws Exception {
    SambaServer samba = SAMBA.server();
    String unc = "\\\\" + SambaServer.HOST + "\\" + SambaServer.RW;
    String password = new String(samba.password(SambaServer.ALICE));
    RdrHarness.Result r =
        h.runWith(
            password + "\n",
            List.of(),
            "use",
            "S:",
            unc,
            "/user:" + SambaServer.ALICE,
            "*",
            "/tcpport:" + samba.port());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(h.log()).doesNotContain(password);
    assertThat(h.run("use").out())
        .containsPattern("OK\\s+S:\\s+\\\\\\\\127\\.0\\.0\\.1(:\\d+)?\\\\rw");
    assumeTrue(h.run("service", "status").out().contains("FUSE          available"), "no FUSE");

    Path s = h.home.resolve("mnt/S");
    RdrHarness.Result sh =
        h.exec(
            List.of(
                "bash",
                "-c",
                "echo 'hello smb' > \"$1/note.txt\" && cp \"$1/note.txt\" \"$1/copy.txt\" && ls \"$1\"",
                "_",
                s.toString()),
            null,
            List.of());
    assertThat(sh.code()).as(sh.all()).isZero();
    assertThat(sh.out()).contains("note.txt").contains("copy.txt");
    Path onDisk = samba.shareDir(SambaServer.RW);
    assertThat(Files.readString(onDisk.resolve("copy.txt"))).isEqualTo("hello smb\n");
    assertThat(samba.smbstatus().connectedShares()).contains(SambaServer.RW);

    Process holder =
        h.builder(
                List.of(
                    "bash",
                    "-c",
                    "exec 3<\"$1\"; echo ready; read line; cat <&3; echo \"cat=$?\"; exec 3<&-;"
                        + " echo closed",
                    "_",
                    s.resolve("note.txt").toString()))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    r = h.run("use", "S:", "/delete");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("System error 2401 has occurred.");
    r = h.run("use", "S:", "/delete", "/y");
    assertThat(r.code()).as(r.all()).isZero();
    try (OutputStream in = holder.getOutputStream()) {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
    }
    String rest = new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(holder.waitFor()).isZero();
    assertThat(rest).contains("Input/output error").contains("closed");
    RdrHarness.waitFor(
        "the tree connect to rw gone",
        () -> !samba.smbstatus().connectedShares().contains(SambaServer.RW));
    assertThat(Files.readString(onDisk.resolve("note.txt"))).isEqualTo("hello smb\n");
  }
}
