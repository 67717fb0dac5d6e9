package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NetRoot;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxNode;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;
import org.rdbss4j.testkit.SmbStatus;

/**
 * Two identities on one server: one TCP connection (the SRV_CALL), a session each (the
 * V_NET_ROOTs), each seen by the server as its own user; logon and tree connect failures leave
 * nothing behind.
 */
class SmbIdentitiesTest extends SmbTestBase {

  @Test
  void twoIdentitiesShareOneConnectionButHoldSeparateSessions() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    VNetRoot y = use(BOB, SambaServer.RW, "Y:");
    assertThat(x.netRoot()).isSameAs(y.netRoot());
    try (FileObject a = open(x, CreateRequest.openReadWrite("by-alice.txt"));
        FileObject b = open(y, CreateRequest.openReadWrite("by-bob.txt"))) {
      writeAll(a, 0, "a".getBytes(StandardCharsets.UTF_8));
      writeAll(b, 0, "b".getBytes(StandardCharsets.UTF_8));
    }
    Path rw = samba().shareDir(SambaServer.RW);
    assertThat(Files.getOwner(rw.resolve("by-alice.txt")).getName()).isEqualTo(SambaServer.ALICE);
    assertThat(Files.getOwner(rw.resolve("by-bob.txt")).getName()).isEqualTo(SambaServer.BOB);

    SmbStatus st = samba().smbstatus();
    assertThat(st.sessionsOf(SambaServer.ALICE)).hasSize(1);
    assertThat(st.sessionsOf(SambaServer.BOB)).hasSize(1);
    SmbStatus.Session sa = st.sessionsOf(SambaServer.ALICE).get(0);
    SmbStatus.Session sb = st.sessionsOf(SambaServer.BOB).get(0);
    assertThat(sa.sessionId()).isNotEqualTo(sb.sessionId());
    assertThat(sa.clientPort()).isEqualTo(sb.clientPort());
    assertThat(st.tcpConnectionCount()).isEqualTo(1);
    assertThat(samba().establishedConnectionCount()).isEqualTo(1);
    assertThat(st.treeConnectsOf(sa))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
    assertThat(st.treeConnectsOf(sb))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
    assertThat(rdr.liveNodes()).filteredOn(n -> n instanceof SrvCall).hasSize(1);
  }

  @Test
  void bobCannotReachAlicesShareThroughTheSharedConnection() {
    VNetRoot a = use(ALICE, SambaServer.ALICE_SHARE, "A:");
    use(BOB, SambaServer.RW, "Y:");
    assertThat(statusOf(() -> use(BOB, SambaServer.ALICE_SHARE, "B:")))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> rdr.create(RxContext.of(BOB), a, CreateRequest.openRead(""))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(rdr.connections()).extracting(VNetRoot::name).hasSize(2);
    try (FileObject f = open(a, CreateRequest.openReadWrite("mine.txt"))) {
      writeAll(f, 0, new byte[] {1});
    }
    SmbStatus st = samba().smbstatus();
    assertThat(st.tcpConnectionCount()).isEqualTo(1);
    SmbStatus.Session sb = st.sessionsOf(SambaServer.BOB).get(0);
    assertThat(st.treeConnectsOf(sb))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
  }

  @Test
  void wrongPasswordIsALogonFailureAndLeavesNothingInTheTables() {
    Credentials wrong = new Credentials(SambaServer.ALICE, "", "not-the-password".toCharArray());
    assertThat(
            statusOf(
                () ->
                    rdr.addConnection(
                        RxContext.of(ALICE), unc(SambaServer.RW), "X:", wrong, port())))
        .isEqualTo(NtStatus.LOGON_FAILURE);
    assertThat(rdr.connections()).isEmpty();
    assertThat(rdr.liveNodes()).filteredOn(n -> !(n instanceof SrvCall)).isEmpty();
    assertThat(rdr.prefixTable().names()).allMatch(n -> !n.contains("\\rw"));
    rdr.drain();
    assertThat(rdr.liveNodes()).isEmpty();
    assertThat(rdr.prefixTable().size()).isZero();
    assertThat(samba().smbstatus().sessionsOf(SambaServer.ALICE)).isEmpty();
  }

  @Test
  void missingShareIsABadNetworkName() {
    assertThat(statusOf(() -> use(ALICE, "no-such-share", "X:")))
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    List<RxNode> left = rdr.liveNodes();
    assertThat(left).noneMatch(n -> n instanceof NetRoot || n instanceof VNetRoot);
  }

  @Test
  void implicitUncOpensLogOnWithTheIdentitysDefaultCredentials() throws Exception {
    try (FileObject f =
        rdr.create(
            RxContext.of(BOB),
            unc(SambaServer.RW) + "\\implicit.txt",
            CreateRequest.openReadWrite(""),
            port())) {
      writeAll(f, 0, "via UNC".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readString(samba().shareDir(SambaServer.RW).resolve("implicit.txt")))
        .isEqualTo("via UNC");
    assertThat(samba().smbstatus().sessionsOf(SambaServer.BOB)).hasSize(1);
  }
}
