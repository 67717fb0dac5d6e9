package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/**
 * Large writes under a lease that caches writes return before the server answered them
 * (DataTransfer#write), against Samba: the answers are confirmed by the core's flush and close and
 * by other requests on the handle, a failure among them is reported by the next flush or close, and
 * without such a lease every write is answered before it returns.
 */
class SmbWriteBehindTest extends SmbTestBase {
  private static final int SIZE = 4 * 1024 * 1024; // 16 WRITEs of 256 KiB, 4 in flight

  private boolean leases = true;

  @Override
  SmbOptions.Builder options() {
    return super.options().leases(leases);
  }

  private static SmbHandle handle(FileObject f) {
    return (SmbHandle) f.srvOpen().context();
  }

  private static int unconfirmed(SmbHandle h) {
    h.writeOrder.lock();
    try {
      return h.unconfirmed.size();
    } finally {
      h.writeOrder.unlock();
    }
  }

  @Test
  void aLargeWriteReturnsWithAnswersToComeAndTheFlushConfirmsThem() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(SIZE, 21);
    try (FileObject f = open(x, CreateRequest.openReadWrite("behind.bin"))) {
      SmbHandle h = handle(f);
      assertThat(h.writesBehind()).as("lease with write caching").isTrue();
      writeAll(f, 0, data);
      assertThat(unconfirmed(h)).isEqualTo(4);
      f.flush();
      assertThat(unconfirmed(h)).isZero();
      assertThat(Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve("behind.bin")))
          .isEqualTo(data);
      // a read on the handle first has the writes it follows answered
      writeAll(f, 0, data);
      assertThat(unconfirmed(h)).isEqualTo(4);
      assertThat(readAll(f, SIZE - 10, 10))
          .isEqualTo(java.util.Arrays.copyOfRange(data, SIZE - 10, SIZE));
    }
  }

  @Test
  void closeConfirmsTheWritesBeforeTheHandleGoes() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(SIZE, 22);
    FileObject f = open(x, CreateRequest.openReadWrite("closed.bin"));
    SmbHandle h = handle(f);
    writeAll(f, 0, data);
    assertThat(unconfirmed(h)).isEqualTo(4);
    f.close();
    assertThat(unconfirmed(h)).isZero();
    assertThat(Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve("closed.bin")))
        .isEqualTo(data);
  }

  @Test
  void withoutALeaseEveryWriteIsAnsweredBeforeItReturns() throws Exception {
    leases = false;
    rdr.close();
    startRedirector();
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(SIZE, 23);
    try (FileObject f = open(x, CreateRequest.openReadWrite("strict.bin"))) {
      SmbHandle h = handle(f);
      assertThat(h.writesBehind()).isFalse();
      writeAll(f, 0, data);
      assertThat(unconfirmed(h)).isZero();
    }
  }

  /**
   * A WRITE Samba refuses (an offset past what the file system can hold) while the connection and
   * the lease stay: the write returned, the flush reports the failure, once.
   */
  @Test
  void aWriteTheServerRefusesAfterItReturnedIsReportedByTheNextFlush() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    try (FileObject f = open(x, CreateRequest.openReadWrite("refused.bin"))) {
      SmbHandle h = handle(f);
      assertThat(h.writesBehind()).isTrue();
      ByteBuffer src = ByteBuffer.wrap(randomBytes(32 * 1024, 24));
      int n = DataTransfer.write(RxContext.of(ALICE), h, 1L << 50, src).join();
      assertThat(n).isEqualTo(32 * 1024);
      assertThat(unconfirmed(h)).isEqualTo(1);
      NtStatus failure = statusOf(f::flush);
      assertThat(failure).isNotEqualTo(NtStatus.SUCCESS);
      assertThat(unconfirmed(h)).isZero();
      f.flush(); // reported once
    }
  }

  @Test
  void aWriteTheServerRefusesIsReportedByClose() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject f = open(x, CreateRequest.openReadWrite("refused-close.bin"));
    SmbHandle h = handle(f);
    // through the core: a large write goes to the server in one pipelined transfer
    byte[] data = randomBytes(1024 * 1024, 25);
    assertThat(f.write(1L << 50, ByteBuffer.wrap(data))).isEqualTo(data.length);
    assertThat(unconfirmed(h)).isEqualTo(4);
    assertThat(statusOf(f::close)).isNotEqualTo(NtStatus.SUCCESS);
    assertThat(unconfirmed(h)).isZero();
  }
}
