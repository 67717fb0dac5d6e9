package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeOption;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;
import org.rdbss4j.testkit.SmbStatus;

/**
 * RxFinalizeConnection at its three force levels with an open file and a pending change
 * notification, and the server's view of each outcome through {@code smbstatus}: the tree connect
 * goes with the V_NET_ROOT; the session and the TCP connection stay with the dormant SRV_CALL until
 * the scavenger's idle timeout or the close-transport option.
 */
class SmbFinalizeConnectionTest extends SmbTestBase {
  private static final Duration IDLE = Duration.ofSeconds(3);

  @Override
  Duration scavengerTimeout() {
    return IDLE;
  }

  private record Pending(RxContext ctx, CompletableFuture<List<ChangeEvent>> events) {}

  private Pending pendingNotify(VNetRoot v, FileObject dir) {
    RxContext ctx = RxContext.of(v.identity());
    CompletableFuture<List<ChangeEvent>> f =
        CompletableFuture.supplyAsync(() -> rdr.notifyChangeDirectory(ctx, dir, true));
    assertThat(eventually(Duration.ofSeconds(5), ctx::hasCancelRoutine)).isTrue();
    return new Pending(ctx, f);
  }

  private static SmbStatus.Session aliceSession(SmbStatus st) {
    assertThat(st.sessionsOf(SambaServer.ALICE)).hasSize(1);
    return st.sessionsOf(SambaServer.ALICE).get(0);
  }

  private static List<String> aliceTrees() {
    SmbStatus st = samba().smbstatus();
    return st.sessionsOf(SambaServer.ALICE).stream()
        .flatMap(s -> st.treeConnectsOf(s).stream())
        .map(SmbStatus.TreeConnect::share)
        .toList();
  }

  private FinalizeResult delete(ForceFilesClosed force, FinalizeOption... options) {
    return rdr.deleteConnection(RxContext.of(ALICE), "X:", force, Set.of(options));
  }

  @Test
  void falseFailsAndChangesNothingThenTrueCancelsOrphansAndKeepsTheSessionUntilIdle()
      throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject f = open(x, CreateRequest.openReadWrite("open.txt"));
    writeAll(f, 0, "before".getBytes(StandardCharsets.UTF_8));
    FileObject dir = open(x, CreateRequest.createDirectory("watched"));
    Pending notify = pendingNotify(x, dir);

    assertThat(delete(ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(aliceTrees()).containsExactly("rw");
    assertThat(notify.events()).isNotDone();
    writeAll(f, 6, " and after".getBytes(StandardCharsets.UTF_8));

    SmbStatus.Session session = aliceSession(samba().smbstatus());
    FinalizeResult r = delete(ForceFilesClosed.TRUE);
    assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(r.unflushed()).isEmpty();
    assertThat(statusOf(() -> join(notify.events()))).isEqualTo(NtStatus.CANCELLED);
    assertThat(statusOf(() -> f.write(0, java.nio.ByteBuffer.wrap(new byte[1]))))
        .isEqualTo(NtStatus.UNEXPECTED_NETWORK_ERROR);
    assertThat(Files.readString(samba().shareDir(SambaServer.RW).resolve("open.txt")))
        .isEqualTo("before and after");

    assertThat(eventually(Duration.ofSeconds(2), () -> aliceTrees().isEmpty())).isTrue();
    SmbStatus st = samba().smbstatus();
    assertThat(aliceSession(st).sessionId()).isEqualTo(session.sessionId());
    assertThat(st.tcpConnectionCount()).isEqualTo(1);
    assertThat(samba().establishedConnectionCount()).isEqualTo(1);

    // the orphaned handles keep the V_NET_ROOT (and the NET_ROOT) until their caller closes them
    f.close();
    dir.close();
    assertThat(rdr.liveNodes())
        .filteredOn(n -> n instanceof SrvCall)
        .singleElement()
        .satisfies(s -> assertThat(((SrvCall) s).isDormant()).isTrue());
    assertThat(samba().smbstatus().sessionsOf(SambaServer.ALICE)).hasSize(1);
    assertThat(
            eventually(
                IDLE.plusSeconds(4),
                () ->
                    samba().establishedConnectionCount() == 0
                        && samba().smbstatus().sessions().isEmpty()))
        .as("session and TCP connection gone after the scavenger's idle timeout")
        .isTrue();
    assertThat(rdr.liveNodes()).isEmpty();
  }

  @Test
  void theCloseTransportOptionEndsSessionAndConnectionAtOnce() {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    open(x, CreateRequest.openReadWrite("t.txt")).close();
    long start = System.nanoTime();
    assertThat(delete(ForceFilesClosed.TRUE, FinalizeOption.CLOSE_TRANSPORT).status())
        .isEqualTo(NtStatus.SUCCESS);
    assertThat(
            eventually(
                Duration.ofSeconds(2),
                () ->
                    samba().establishedConnectionCount() == 0
                        && samba().smbstatus().sessions().isEmpty()))
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(IDLE);
  }

  @Test
  void lazyDeleteFailsWhileInUseAndFinalizesAtTheLastClose() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject f = open(x, CreateRequest.openReadWrite("lazy.txt"));
    FileObject dir = open(x, CreateRequest.createDirectory("watched-lazily"));
    Pending notify = pendingNotify(x, dir);

    assertThat(delete(ForceFilesClosed.LAZY).status()).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(notify.events()).isNotDone();
    writeAll(f, 0, "still usable".getBytes(StandardCharsets.UTF_8));
    assertThat(aliceTrees()).containsExactly("rw");

    dir.close();
    assertThat(statusOf(() -> join(notify.events()))).isEqualTo(NtStatus.CANCELLED);
    assertThat(aliceTrees()).containsExactly("rw");
    f.close();
    assertThat(eventually(Duration.ofSeconds(2), () -> aliceTrees().isEmpty())).isTrue();
    assertThat(rdr.connections()).isEmpty();
    assertThat(samba().smbstatus().sessionsOf(SambaServer.ALICE)).hasSize(1);
  }

  @Test
  void falseWithAnOpenDirectoryIsConnectionInUseAndTheDormantConnectionIsReused() {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    open(x, CreateRequest.openReadWrite("closed.txt")).close();
    FileObject dir = open(x, CreateRequest.openDirectory(""));
    Pending notify = pendingNotify(x, dir);
    assertThat(delete(ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.CONNECTION_IN_USE);
    dir.close();
    assertThat(statusOf(() -> join(notify.events()))).isEqualTo(NtStatus.CANCELLED);

    SmbStatus.Session before = aliceSession(samba().smbstatus());
    assertThat(delete(ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(eventually(Duration.ofSeconds(2), () -> aliceTrees().isEmpty())).isTrue();

    VNetRoot again = use(ALICE, SambaServer.RW, "X:");
    open(again, CreateRequest.openRead("closed.txt")).close();
    SmbStatus.Session after = aliceSession(samba().smbstatus());
    assertThat(after.clientPort()).isEqualTo(before.clientPort());
    assertThat(after.sessionId()).isEqualTo(before.sessionId());
    assertThat(aliceTrees()).containsExactly("rw");
  }
}
