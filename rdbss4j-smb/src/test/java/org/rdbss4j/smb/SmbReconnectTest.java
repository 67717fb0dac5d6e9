package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.Condition;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/**
 * The server goes away: smbd killed mid-transfer, frozen with SIGSTOP, restarted while idle.
 * Outstanding requests fail within the timeout with a clear status, the SRV_CALL becomes Bad, and
 * the next request after the server is back connects again.
 */
class SmbReconnectTest extends SmbTestBase {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /**
   * Without leases: these tests are about requests on the wire when the server goes away, which
   * write-behind and cached reads would hide (a held-back write fails later, at its flush or close,
   * as SmbLeaseTest and the core's data cache tests show).
   */
  @Override
  SmbOptions.Builder options() {
    return super.options()
        .requestTimeout(TIMEOUT)
        .connectTimeout(Duration.ofSeconds(1))
        .leases(false);
  }

  @Test
  void killedMidTransferTheWriteFailsTheSrvCallIsBadAndTheNextOpenReconnects() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    SrvCall srv = x.netRoot().srvCall();
    FileObject f = open(x, CreateRequest.openReadWrite("big.bin"));
    byte[] chunk = randomBytes(2 * 1024 * 1024, 7);
    AtomicLong written = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                f.write((long) i * chunk.length, ByteBuffer.wrap(chunk));
                written.addAndGet(chunk.length);
              }
            });
    assertThat(eventually(Duration.ofSeconds(10), () -> written.get() >= 8L * chunk.length))
        .isTrue();

    long start = System.nanoTime();
    samba().kill();
    NtStatus failure = statusOf(() -> join(writer));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(failure).isEqualTo(NtStatus.CONNECTION_DISCONNECTED);
    assertThat(took).isLessThan(TIMEOUT.plusSeconds(1));
    assertThat(eventually(Duration.ofSeconds(2), () -> srv.condition() == Condition.BAD)).isTrue();
    assertThat(statusOf(() -> f.read(0, ByteBuffer.allocate(10))))
        .isEqualTo(NtStatus.CONNECTION_DISCONNECTED);
    assertThat(statusOf(() -> open(x, CreateRequest.openRead("big.bin"))))
        .isIn(NtStatus.CONNECTION_REFUSED, NtStatus.CONNECTION_DISCONNECTED);

    samba().restart();
    long acknowledged = written.get();
    try (FileObject g = open(x, CreateRequest.openRead("big.bin"))) {
      assertThat(srv.condition()).isEqualTo(Condition.GOOD);
      assertThat(g.queryInformation().size()).isGreaterThanOrEqualTo(acknowledged);
      assertThat(readAll(g, acknowledged - chunk.length, chunk.length)).isEqualTo(chunk);
    }
    byte[] onDisk = Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve("big.bin"));
    assertThat(Arrays.copyOfRange(onDisk, 0, chunk.length)).isEqualTo(chunk);
    f.close();
  }

  @Test
  void frozenServerRequestsTimeOutAndAfterResumeTheNextOpenReconnects() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    SrvCall srv = x.netRoot().srvCall();
    FileObject f = open(x, CreateRequest.openReadWrite("frozen.bin"));
    byte[] data = randomBytes(100_000, 3);
    writeAll(f, 0, data);
    FileObject dir = open(x, CreateRequest.openDirectory(""));
    CompletableFuture<?> notify =
        CompletableFuture.supplyAsync(
            () -> rdr.notifyChangeDirectory(RxContext.of(ALICE), dir, false));
    assertThat(eventually(Duration.ofSeconds(5), () -> x.outstandingRequests().size() == 1))
        .isTrue();

    samba().stop();
    try {
      long start = System.nanoTime();
      assertThat(statusOf(() -> f.read(0, ByteBuffer.allocate(data.length))))
          .isEqualTo(NtStatus.IO_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(TIMEOUT.minusMillis(200), TIMEOUT.plusSeconds(1));
      assertThat(statusOf(() -> join(notify))).isEqualTo(NtStatus.CONNECTION_DISCONNECTED);
      assertThat(srv.condition()).isEqualTo(Condition.BAD);

      start = System.nanoTime();
      assertThat(statusOf(() -> open(x, CreateRequest.openRead("frozen.bin"))))
          .isEqualTo(NtStatus.IO_TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
    } finally {
      samba().resume();
    }

    try (FileObject g = open(x, CreateRequest.openRead("frozen.bin"))) {
      assertThat(readAll(g, 0, data.length)).isEqualTo(data);
    }
    assertThat(srv.condition()).isEqualTo(Condition.GOOD);
  }

  @Test
  void aServerRestartedWhileIdleIsReconnectedForMappedAndUncUse() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    SrvCall srv = x.netRoot().srvCall();
    open(x, CreateRequest.openReadWrite("idle.txt")).close();
    int portBefore = samba().smbstatus().sessionsOf(SambaServer.ALICE).get(0).clientPort();

    samba().restart();
    assertThat(eventually(Duration.ofSeconds(2), () -> srv.condition() == Condition.BAD)).isTrue();
    open(x, CreateRequest.openRead("idle.txt")).close();
    assertThat(srv.condition()).isEqualTo(Condition.GOOD);
    int portAfter = samba().smbstatus().sessionsOf(SambaServer.ALICE).get(0).clientPort();
    assertThat(portAfter).isNotEqualTo(portBefore);

    // a dormant SRV_CALL whose server restarted is replaced by the next connection
    assertThat(
            rdr.deleteConnection(RxContext.of(ALICE), "X:", ForceFilesClosed.FALSE, Set.of())
                .status())
        .isEqualTo(NtStatus.SUCCESS);
    samba().restart();
    assertThat(eventually(Duration.ofSeconds(2), () -> srv.condition() == Condition.BAD)).isTrue();
    try (FileObject g =
        rdr.create(
            RxContext.of(BOB),
            unc(SambaServer.RW) + "\\idle.txt",
            CreateRequest.openRead(""),
            port())) {
      assertThat(g.vNetRoot().netRoot().srvCall()).isNotSameAs(srv);
    }
  }
}
