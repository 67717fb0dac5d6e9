package org.rdbss4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.testkit.SambaServer.ALICE;
import static org.rdbss4j.testkit.SambaServer.ALICE_SHARE;
import static org.rdbss4j.testkit.SambaServer.BOB;
import static org.rdbss4j.testkit.SambaServer.RO;
import static org.rdbss4j.testkit.SambaServer.RW;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SambaExtension.class)
class SambaServerTest {
  private static SambaServer started;

  @TempDir Path local;

  @BeforeAll
  static void remember(SambaServer samba) {
    started = samba;
  }

  @Test
  void aliceRoundTripsAFileThroughShareRwByteForByte(SambaServer samba) throws Exception {
    byte[] data = new byte[200_000];
    new Random(42).nextBytes(data);
    Path source = local.resolve("source.bin");
    Files.write(source, data);

    CommandResult put = samba.smbclient(RW, ALICE, "put " + source + " data.bin");
    assertThat(put.succeeded()).as(put.output()).isTrue();
    assertThat(samba.shareDir(RW).resolve("data.bin")).hasBinaryContent(data);

    Path back = local.resolve("back.bin");
    CommandResult get = samba.smbclient(RW, ALICE, "get data.bin " + back);
    assertThat(get.succeeded()).as(get.output()).isTrue();
    assertThat(back).hasBinaryContent(data);
  }

  @Test
  void bobWritesToShareRwToo(SambaServer samba) throws Exception {
    Path source = Files.writeString(local.resolve("bob.txt"), "from bob");
    CommandResult put = samba.smbclient(RW, BOB, "put " + source + " bob.txt");
    assertThat(put.succeeded()).as(put.output()).isTrue();
    assertThat(samba.shareDir(RW).resolve("bob.txt")).hasContent("from bob");
  }

  @Test
  void shareRoIsReadableButRefusesPut(SambaServer samba) throws Exception {
    Files.writeString(samba.shareDir(RO).resolve("readme.txt"), "read me");
    Path copy = local.resolve("readme.txt");
    CommandResult get = samba.smbclient(RO, BOB, "get readme.txt " + copy);
    assertThat(get.succeeded()).as(get.output()).isTrue();
    assertThat(copy).hasContent("read me");

    Path source = Files.writeString(local.resolve("new.txt"), "nope");
    CommandResult put = samba.smbclient(RO, ALICE, "put " + source + " new.txt");
    assertThat(put.succeeded()).as(put.output()).isFalse();
    assertThat(put.output()).contains("NT_STATUS_ACCESS_DENIED");
    assertThat(samba.shareDir(RO).resolve("new.txt")).doesNotExist();
  }

  @Test
  void onlyAliceOpensShareAlice(SambaServer samba) {
    CommandResult alice = samba.smbclient(ALICE_SHARE, ALICE, "ls");
    assertThat(alice.succeeded()).as(alice.output()).isTrue();

    CommandResult bob = samba.smbclient(ALICE_SHARE, BOB, "ls");
    assertThat(bob.succeeded()).as(bob.output()).isFalse();
    assertThat(bob.output()).contains("tree connect failed: NT_STATUS_ACCESS_DENIED");
  }

  @Test
  void wrongPasswordIsRefused(SambaServer samba) {
    CommandResult result = samba.smbclient(RW, ALICE, "not-the-password".toCharArray(), "ls");
    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("NT_STATUS_LOGON_FAILURE");
  }

  @Test
  void passwordsAreRandomAndStayOutOfProcessArguments(SambaServer samba) throws Exception {
    String alice = new String(samba.password(ALICE));
    String bob = new String(samba.password(BOB));
    assertThat(alice).hasSize(24).isNotEqualTo(bob);
    assertThat(samba.users()).containsExactly(ALICE, BOB);

    try (SmbClientSession client = samba.openSmbclient(RW, ALICE)) {
      String clientArgs = Files.readString(Path.of("/proc/" + client.pid() + "/cmdline"));
      String smbdArgs = Files.readString(Path.of("/proc/" + samba.pid() + "/cmdline"));
      assertThat(clientArgs).contains(samba.authFile(ALICE).toString()).doesNotContain(alice);
      assertThat(smbdArgs).doesNotContain(alice).doesNotContain(bob);
    }
  }

  @Test
  void smbstatusShowsTheSessionOfAConnectedClient(SambaServer samba) throws Exception {
    try (SmbClientSession client = samba.openSmbclient(RW, BOB)) {
      assertThat(
              Eventually.within(
                  Duration.ofSeconds(5), () -> samba.smbstatus().sessionsOf(BOB).size() == 1))
          .isTrue();
      SmbStatus status = samba.smbstatus();
      SmbStatus.Session session = status.sessionsOf(BOB).getFirst();
      assertThat(session.sessionId()).isNotBlank();
      assertThat(session.uid()).isPositive();
      assertThat(session.clientPort()).isPositive();
      assertThat(session.dialect()).startsWith("SMB");
      assertThat(status.treeConnectsOf(session))
          .extracting(SmbStatus.TreeConnect::share)
          .containsExactly(RW);
      assertThat(status.tcpConnectionCount()).isGreaterThanOrEqualTo(1);
      assertThat(samba.establishedConnectionCount()).isGreaterThanOrEqualTo(1);
    }
    assertThat(
            Eventually.within(
                Duration.ofSeconds(5), () -> samba.smbstatus().sessionsOf(BOB).isEmpty()))
        .isTrue();
  }

  @Nested
  class Nesting {
    @Test
    void nestedClassesShareTheEnclosingServer(SambaServer samba) {
      assertThat(samba).isSameAs(started);
    }
  }
}
