package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/**
 * READ responses delivered from the socket straight into the caller's buffer ({@link
 * SmbSocketTransport}) against Samba: the bytes are the file's at the right places of heap and
 * direct buffers, nothing is written past what a short read returns, signed responses too (their
 * signatures checked on the way), encrypted ones take smbj's path (counted by {@link
 * SmbStats#directReads()}); WRITEs sent unsigned (their data from the caller's array after the
 * header) and signed reach the file byte for byte.
 */
class SmbDataPathTest extends SmbTestBase {
  private static final int SIZE = 4 * 1024 * 1024 + 12345;

  private boolean signAlways;
  private boolean encrypt;
  private java.util.Set<com.hierynomus.mssmb2.SMB2Dialect> dialects;

  @Override
  SmbOptions.Builder options() {
    // no lease: every read goes to the server; 256 KiB READs, 4 in flight (SmbTestBase)
    SmbOptions.Builder b =
        super.options().leases(false).signAlways(signAlways).encryptData(encrypt);
    return dialects == null ? b : b.dialects(dialects);
  }

  private byte[] putOnShare(String name, int size) throws Exception {
    byte[] data = randomBytes(size, name.hashCode());
    Path p = samba().shareDir(SambaServer.RW).resolve(name);
    Files.write(p, data);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
    return data;
  }

  private VNetRoot restartAndUse() {
    rdr.close();
    startRedirector();
    return use(ALICE, SambaServer.RW, "X:");
  }

  private static SmbTransport transport(VNetRoot v) {
    return ((SmbServer) v.netRoot().srvCall().context()).transport();
  }

  /** Reads the file into {@code dst} from its position in one call; the bytes read. */
  private static byte[] readInto(FileObject f, ByteBuffer dst, int size) {
    int start = dst.position();
    int n = f.read(0, dst);
    assertThat(n).isEqualTo(size);
    assertThat(dst.position()).isEqualTo(start + size);
    byte[] got = new byte[size];
    dst.get(start, got);
    return got;
  }

  @Test
  void unsignedResponsesLandInAHeapBufferAtItsPositionAndArrayOffset() throws Exception {
    byte[] data = putOnShare("heap.bin", SIZE);
    VNetRoot x = restartAndUse();
    byte[] backing = new byte[SIZE + 100];
    Arrays.fill(backing, (byte) 0x55);
    // a slice: arrayOffset 7, then position 13 inside it
    ByteBuffer dst = ByteBuffer.wrap(backing, 7, SIZE + 50).slice();
    dst.position(13);
    try (FileObject f = open(x, CreateRequest.openRead("heap.bin"))) {
      long reads = smb.stats().readRequests();
      long direct = smb.stats().directReads();
      assertThat(readInto(f, dst, SIZE)).isEqualTo(data);
      assertThat(smb.stats().readRequests() - reads).isGreaterThanOrEqualTo(SIZE / (256 * 1024));
      assertThat(smb.stats().directReads() - direct).isEqualTo(smb.stats().readRequests() - reads);
    }
    // untouched around the data
    for (int i = 0; i < 7 + 13; i++) {
      assertThat(backing[i]).isEqualTo((byte) 0x55);
    }
    for (int i = 7 + 13 + SIZE; i < backing.length; i++) {
      assertThat(backing[i]).isEqualTo((byte) 0x55);
    }
    assertThat(transport(x).pendingDirectReads()).isZero();
  }

  @Test
  void unsignedResponsesLandInADirectBuffer() throws Exception {
    byte[] data = putOnShare("direct.bin", SIZE);
    VNetRoot x = restartAndUse();
    ByteBuffer dst = ByteBuffer.allocateDirect(SIZE + 3);
    dst.position(3);
    try (FileObject f = open(x, CreateRequest.openRead("direct.bin"))) {
      long direct = smb.stats().directReads();
      assertThat(readInto(f, dst, SIZE)).isEqualTo(data);
      assertThat(smb.stats().directReads() - direct).isGreaterThan(0);
    }
  }

  @Test
  void aShortReadAtTheEndWritesNothingPastWhatItReturns() throws Exception {
    int size = 300 * 1024 + 5; // one full READ, one short, two at the end of the file
    byte[] data = putOnShare("short.bin", size);
    VNetRoot x = restartAndUse();
    ByteBuffer dst = ByteBuffer.allocate(1024 * 1024);
    Arrays.fill(dst.array(), (byte) 0x55);
    try (FileObject f = open(x, CreateRequest.openRead("short.bin"))) {
      assertThat(readInto(f, dst, size)).isEqualTo(data);
      for (int i = size; i < dst.capacity(); i++) {
        assertThat(dst.get(i)).as("byte %d", i).isEqualTo((byte) 0x55);
      }
      assertThat(f.read(size, ByteBuffer.allocate(10))).isEqualTo(-1);
    }
    // the READs past the end were revoked when the short one came; their answers end them
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (transport(x).pendingDirectReads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(transport(x).pendingDirectReads()).isZero();
  }

  /**
   * A read cancelled while the server is frozen returns CANCELLED, and when the server wakes up and
   * answers, nothing of its answers lands in the caller's buffer (the slices were revoked before
   * the caller got its answer).
   */
  @Test
  void aCancelledReadWritesNothingIntoTheBufferAfterItReturned() throws Exception {
    putOnShare("late.bin", SIZE);
    VNetRoot x = restartAndUse();
    FileObject f = open(x, CreateRequest.openRead("late.bin"));
    ByteBuffer dst = ByteBuffer.allocate(SIZE);
    Arrays.fill(dst.array(), (byte) 0x55);
    RxContext ctx = RxContext.of(ALICE);
    samba().stop();
    try {
      CompletableFuture<Integer> read =
          CompletableFuture.supplyAsync(() -> rdr.read(ctx, f, 0, dst));
      assertThat(eventually(Duration.ofSeconds(5), () -> transport(x).pendingDirectReads() >= 4))
          .as("READs on the wire")
          .isTrue();
      ctx.cancel();
      assertThat(statusOf(() -> join(read))).isEqualTo(NtStatus.CANCELLED);
    } finally {
      samba().resume();
    }
    // the server answers now (the READs or their cancellation): every registration ends
    assertThat(eventually(Duration.ofSeconds(10), () -> transport(x).pendingDirectReads() == 0))
        .isTrue();
    for (int i = 0; i < SIZE; i++) {
      assertThat(dst.get(i)).as("byte %d", i).isEqualTo((byte) 0x55);
    }
    // and the connection still serves
    assertThat(f.read(0, ByteBuffer.allocate(10))).isEqualTo(10);
  }

  /**
   * A cancellation from a thread whose interrupt flag is set (a watcher closing its watch while it
   * is being interrupted) does not close the connection's channel (an interrupted write on a
   * SocketChannel closes it): SMB2 CANCEL goes out from a thread of its own.
   */
  @Test
  void aCancelFromAnInterruptedThreadKeepsTheConnection() throws Exception {
    byte[] data = putOnShare("kept.bin", 1000);
    VNetRoot x = restartAndUse();
    FileObject f = open(x, CreateRequest.openRead("kept.bin"));
    FileObject dir = open(x, CreateRequest.openDirectory(""));
    RxContext ctx = RxContext.of(ALICE);
    CompletableFuture<?> notify =
        CompletableFuture.supplyAsync(() -> rdr.notifyChangeDirectory(ctx, dir, false));
    assertThat(eventually(Duration.ofSeconds(5), ctx::hasCancelRoutine)).isTrue();
    Thread canceller =
        Thread.ofPlatform()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  ctx.cancel();
                });
    canceller.join();
    assertThat(statusOf(() -> join(notify))).isEqualTo(NtStatus.CANCELLED);
    assertThat(readAll(f, 0, 1000)).isEqualTo(data);
    assertThat(transport(x).isAlive()).isTrue();
  }

  @Test
  void signedResponsesLandInTheCallersBufferWithTheirSignaturesChecked() throws Exception {
    signedResponsesLandInTheCallersBuffer("signed.bin");
  }

  @Test
  void signedSmb21ResponsesLandInTheCallersBufferWithTheirHmacChecked() throws Exception {
    dialects = java.util.EnumSet.of(com.hierynomus.mssmb2.SMB2Dialect.SMB_2_1);
    signedResponsesLandInTheCallersBuffer("signed21.bin");
  }

  private void signedResponsesLandInTheCallersBuffer(String name) throws Exception {
    signAlways = true;
    byte[] data = putOnShare(name, SIZE);
    VNetRoot x = restartAndUse();
    try (FileObject f = open(x, CreateRequest.openRead(name))) {
      for (ByteBuffer dst :
          List.of(
              ByteBuffer.allocate(SIZE + 10).position(3),
              ByteBuffer.allocateDirect(SIZE + 10).position(5))) {
        long before = transport(x).signatures();
        long reads = smb.stats().readRequests();
        long direct = smb.stats().directReads();
        assertThat(readInto(f, dst, SIZE)).isEqualTo(data);
        long sent = smb.stats().readRequests() - reads;
        assertThat(smb.stats().directReads() - direct).isEqualTo(sent);
        // a signature made for every READ, and every response's checked here and (without its
        // data, signed anew) by smbj
        assertThat(transport(x).signatures() - before).isGreaterThanOrEqualTo(3 * sent);
      }
    }
    assertThat(transport(x).pendingDirectReads()).isZero();
  }

  @Test
  void aSignedResponseAlteredOnTheWayEndsTheConnectionAndDeliversNothing() throws Exception {
    signAlways = true;
    byte[] data = putOnShare("tampered.bin", SIZE);
    rdr.close();
    startRedirector();
    try (org.rdbss4j.testkit.LinkEmulator relay =
        org.rdbss4j.testkit.LinkEmulator.start(samba().port(), 1L << 40, java.time.Duration.ZERO)) {
      VNetRoot x =
          rdr.addConnection(
              org.rdbss4j.core.RxContext.of(ALICE),
              unc(SambaServer.RW),
              "X:",
              credentials(ALICE.userName()),
              org.rdbss4j.core.ConnectOptions.port(relay.port()));
      FileObject f = open(x, CreateRequest.openRead("tampered.bin"));
      ByteBuffer dst = ByteBuffer.allocateDirect(SIZE);
      // a bit inside the first READ response's data
      relay.corruptFromServer(10_000);
      NtStatus status = statusOf(() -> f.read(0, dst));
      assertThat(status).isIn(NtStatus.CONNECTION_DISCONNECTED, NtStatus.UNEXPECTED_NETWORK_ERROR);
      assertThat(dst.position()).as("nothing delivered").isZero();
      assertThat(transport(x).pendingDirectReads()).isZero();
      // the next open reconnects, and reads what the file holds
      try (FileObject again = open(x, CreateRequest.openRead("tampered.bin"))) {
        assertThat(readInto(again, ByteBuffer.allocateDirect(SIZE), SIZE)).isEqualTo(data);
      }
    }
  }

  @Test
  void encryptedResponsesGoThroughSmbj() throws Exception {
    encrypt = true;
    byte[] data = putOnShare("sealed.bin", SIZE);
    VNetRoot x = restartAndUse();
    try (FileObject f = open(x, CreateRequest.openRead("sealed.bin"))) {
      long direct = smb.stats().directReads();
      assertThat(readInto(f, ByteBuffer.allocate(SIZE), SIZE)).isEqualTo(data);
      assertThat(smb.stats().directReads()).isEqualTo(direct);
    }
  }

  private void writeFromAndCheck(ByteBuffer src, byte[] data, String name) throws Exception {
    VNetRoot x = restartAndUse();
    try (FileObject f = open(x, CreateRequest.openReadWrite(name))) {
      long writes = smb.stats().writeRequests();
      assertThat(f.write(0, src)).isEqualTo(data.length);
      assertThat(src.hasRemaining()).isFalse();
      assertThat(smb.stats().writeRequests() - writes)
          .isGreaterThanOrEqualTo(data.length / (256 * 1024));
    }
    assertThat(Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve(name))).isEqualTo(data);
  }

  @Test
  void unsignedWritesSendTheDataFromAHeapSliceAtItsOffset() throws Exception {
    byte[] data = randomBytes(SIZE, 11);
    byte[] backing = new byte[SIZE + 40];
    System.arraycopy(data, 0, backing, 30, SIZE);
    ByteBuffer src = ByteBuffer.wrap(backing, 10, SIZE + 30).slice(); // arrayOffset 10
    src.position(20).limit(20 + SIZE);
    writeFromAndCheck(src, data, "heap-out.bin");
  }

  @Test
  void unsignedWritesFromADirectBuffer() throws Exception {
    byte[] data = randomBytes(SIZE, 12);
    ByteBuffer src = ByteBuffer.allocateDirect(SIZE).put(data).flip();
    writeFromAndCheck(src, data, "direct-out.bin");
  }

  @Test
  void signedWritesCarryTheDataInsideTheSignedMessage() throws Exception {
    signAlways = true;
    byte[] data = randomBytes(SIZE, 13);
    writeFromAndCheck(ByteBuffer.wrap(data), data, "signed-out.bin");
  }

  @Test
  void signedWritesFromADirectBuffer() throws Exception {
    // the signature is computed from what is put into the message: not a copy behind its back
    signAlways = true;
    byte[] data = randomBytes(SIZE, 15);
    ByteBuffer src = ByteBuffer.allocateDirect(SIZE).put(data).flip();
    writeFromAndCheck(src, data, "signed-direct-out.bin");
  }

  @Test
  void encryptedWritesReachTheFile() throws Exception {
    encrypt = true;
    byte[] data = randomBytes(SIZE, 14);
    writeFromAndCheck(ByteBuffer.wrap(data), data, "sealed-out.bin");
  }
}
