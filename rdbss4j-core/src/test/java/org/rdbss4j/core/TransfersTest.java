package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransfersTest {
  private static final int MIB = 1 << 20;
  private static final Set<Buffering> RH = Set.of(Buffering.READ, Buffering.HANDLE);
  private static final Set<Buffering> RWH =
      Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);

  private CoreFixture fx = new CoreFixture();

  @AfterEach
  void close() {
    fx.close();
    assertThat(fx.m.ioUnderTableLock.get()).isZero();
  }

  @Test
  void transferToCopiesARangeInGrowingPiecesReadAheadOfTheTarget() throws IOException {
    byte[] data = CoreFixture.random(Transfers.CHUNK + 3 * MIB + 5, 1);
    fx.put("f", data);
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long n = f.transferTo(7, Long.MAX_VALUE, Channels.newChannel(out));

      assertThat(n).isEqualTo(data.length - 7);
      assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 7, data.length));
      // a first piece of a megabyte (a small file costs no large buffer), then whole chunks, and
      // one read past the end that finds nothing
      assertThat(fx.m.readSizes.get(0)).isEqualTo(Transfers.FIRST);
      assertThat(fx.m.readSizes.get(1)).isEqualTo(Transfers.CHUNK);
      assertThat(fx.m.readSizes).allMatch(s -> s <= Transfers.CHUNK);

      ByteArrayOutputStream part = new ByteArrayOutputStream();
      assertThat(f.transferTo(MIB - 3, 10, Channels.newChannel(part))).isEqualTo(10);
      assertThat(part.toByteArray()).isEqualTo(Arrays.copyOfRange(data, MIB - 3, MIB + 7));
      assertThat(f.transferTo(data.length, 10, Channels.newChannel(part))).isZero();
      assertThat(f.transferTo(0, 0, Channels.newChannel(part))).isZero();
      assertThatThrownBy(() -> f.transferTo(-1, 1, Channels.newChannel(part)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void transferToOfAScanStartsNoReadAheadIntoTheCacheWhoseCopyItWouldPayFor() throws IOException {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dataCacheBudget(8L * MIB));
    // larger than the budget (a scan); its first megabyte alone could be read ahead
    byte[] data = CoreFixture.random(12 * MIB, 2);
    fx.put("scan", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "scan")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(f.transferTo(0, data.length, Channels.newChannel(out))).isEqualTo(data.length);
      assertThat(out.toByteArray()).isEqualTo(data);
      assertThat(fx.rdr.dataCache().stats().readAheadBytes()).isZero();
      assertThat(fx.rdr.dataCache().stats().cachedBytes()).isZero();

      // the same file read in large sequential calls does read ahead (what the transfer avoids)
      int call = DataCache.SCAN_READ_BYTES;
      for (long off = 0; off < 3L * call; off += call) {
        assertThat(f.read(off, ByteBuffer.allocateDirect(call))).isEqualTo(call);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (fx.rdr.dataCache().stats().readAheadBytes() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(fx.rdr.dataCache().stats().readAheadBytes()).isPositive();
    }
  }

  @Test
  void transferToSendsWhatTheCacheHoldsDirtyAndTransferFromIsSeenByCachedReads()
      throws IOException {
    byte[] data = CoreFixture.random(3 * MIB, 3);
    fx.put("f", data);
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      byte[] patch = CoreFixture.random(100, 4);
      assertThat(f.write(MIB + 1, ByteBuffer.wrap(patch))).isEqualTo(patch.length);
      byte[] expected = data.clone();
      System.arraycopy(patch, 0, expected, MIB + 1, patch.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(f.transferTo(0, Long.MAX_VALUE, Channels.newChannel(out))).isEqualTo(data.length);
      assertThat(out.toByteArray()).isEqualTo(expected);

      // cached pages of the range are not left stale by a transfer into the file
      ByteBuffer cached = ByteBuffer.allocate(200);
      assertThat(f.read(MIB, cached)).isEqualTo(200);
      byte[] in = CoreFixture.random(2 * MIB, 5);
      assertThat(f.transferFrom(source(in), MIB / 2, in.length)).isEqualTo(in.length);
      ByteBuffer again = ByteBuffer.allocate(200);
      assertThat(f.read(MIB, again)).isEqualTo(200);
      assertThat(again.array()).isEqualTo(Arrays.copyOfRange(in, MIB / 2, MIB / 2 + 200));
      f.flush();
      byte[] onServer = fx.server("f");
      assertThat(Arrays.copyOfRange(onServer, MIB / 2, MIB / 2 + in.length)).isEqualTo(in);
      assertThat(Arrays.copyOfRange(onServer, 0, MIB / 2))
          .isEqualTo(Arrays.copyOfRange(data, 0, MIB / 2));
    }
  }

  @Test
  void transferFromWritesWhatTheSourceHasAndStopsAtItsEnd() throws IOException {
    byte[] in = CoreFixture.random(Transfers.CHUNK + 2 * MIB + 9, 6);
    try (FileObject f = fx.open(CoreFixture.ALICE, "new")) {
      assertThat(f.transferFrom(source(in), 0, Long.MAX_VALUE)).isEqualTo(in.length);
      assertThat(fx.server("new")).isEqualTo(in);

      assertThat(f.transferFrom(source(in), 3, 5)).as("no more than asked").isEqualTo(5);
      assertThat(Arrays.copyOfRange(fx.server("new"), 3, 8)).isEqualTo(Arrays.copyOf(in, 5));
      assertThat(f.transferFrom(source(new byte[0]), 0, 10)).isZero();
      assertThat(fx.server("new")).hasSize(in.length);
      assertThatThrownBy(() -> f.transferFrom(source(in), 0, -1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aFailedLaterReadEndsTheTransferWithWhatItMovedAndAFailedFirstOneThrows() throws IOException {
    byte[] data = CoreFixture.random(4 * MIB, 7);
    fx.put("f", data);
    fx.m.readFailsFrom = Transfers.FIRST;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(f.transferTo(0, data.length, Channels.newChannel(out))).isEqualTo(Transfers.FIRST);
      assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(data, Transfers.FIRST));
      assertThatThrownBy(() -> f.transferTo(Transfers.FIRST, 10, Channels.newChannel(out)))
          .isInstanceOfSatisfying(
              RxException.class,
              e -> assertThat(e.status()).isEqualTo(NtStatus.UNEXPECTED_NETWORK_ERROR));
    }
  }

  @Test
  void aTargetThatTakesNoMoreEndsTheTransferWithWhatItTookAndAFailingOneThrows()
      throws IOException {
    byte[] data = CoreFixture.random(3 * MIB, 8);
    fx.put("f", data);
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int room = MIB + 100;
      int[] left = {room};
      WritableByteChannel full =
          target(
              src -> {
                int n = Math.min(left[0], Math.min(src.remaining(), 4096));
                byte[] b = new byte[n];
                src.get(b);
                got.write(b, 0, n);
                left[0] -= n;
                return n;
              });
      assertThat(f.transferTo(0, data.length, full)).isEqualTo(room);
      assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(data, room));

      WritableByteChannel broken =
          target(
              src -> {
                throw new IOException("disk on fire");
              });
      assertThatThrownBy(() -> f.transferTo(0, data.length, broken))
          .isInstanceOf(IOException.class)
          .hasMessage("disk on fire");
    }
  }

  @Test
  void aFailedLaterWritePutsASeekableSourceBackToJustAfterWhatWasWritten() throws Exception {
    byte[] in = CoreFixture.random(4 * Transfers.CHUNK, 12);
    java.nio.file.Path local = java.nio.file.Files.createTempFile("transfers", ".bin");
    try (FileObject f = fx.open(CoreFixture.ALICE, "out")) {
      java.nio.file.Files.write(local, in);
      fx.m.writeFailsFrom = Transfers.FIRST + Transfers.CHUNK;
      try (java.nio.channels.FileChannel src = java.nio.channels.FileChannel.open(local)) {
        long n = f.transferFrom(src, 0, in.length);
        assertThat(n).isEqualTo(Transfers.FIRST + Transfers.CHUNK);
        assertThat(src.position()).as("the source where the file stops").isEqualTo(n);
        assertThat(fx.server("out")).isEqualTo(Arrays.copyOf(in, (int) n));
        fx.m.writeFailsFrom = Long.MAX_VALUE;
        // the next call goes on from there: the file comes out whole
        assertThat(f.transferFrom(src, n, in.length - n)).isEqualTo(in.length - n);
        assertThat(fx.server("out")).isEqualTo(in);
      }
      // a source that cannot be put back: the failure is the transfer's
      fx.m.writeFailsFrom = Transfers.FIRST;
      assertThatThrownBy(() -> f.transferFrom(source(in), 0, in.length))
          .isInstanceOfSatisfying(
              RxException.class, e -> assertThat(e.status()).isEqualTo(NtStatus.DISK_FULL));
    } finally {
      java.nio.file.Files.delete(local);
    }
  }

  @Test
  void aSourceThatFailsHasWhatItGaveWrittenAndCounted() throws Exception {
    byte[] in = CoreFixture.random(3 * Transfers.FIRST + 123, 13);
    ReadableByteChannel failing =
        new ReadableByteChannel() {
          final ReadableByteChannel inner = source(in);

          @Override
          public int read(ByteBuffer dst) throws IOException {
            int n = inner.read(dst);
            if (n < 0) {
              throw new IOException("source gone");
            }
            return n;
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        };
    try (FileObject f = fx.open(CoreFixture.ALICE, "partial")) {
      assertThat(f.transferFrom(failing, 0, Long.MAX_VALUE)).isEqualTo(in.length);
      assertThat(fx.server("partial")).isEqualTo(in);
      assertThatThrownBy(() -> f.transferFrom(failing, in.length, 10))
          .isInstanceOf(IOException.class)
          .hasMessage("source gone");
    }
  }

  @Test
  void aTargetThatFailsAfterTakingSomeEndsWithWhatItTookAndBuffersArePooled() throws Exception {
    byte[] data = CoreFixture.random(3 * Transfers.FIRST, 14);
    fx.put("f", data);
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      WritableByteChannel failsLater =
          target(
              src -> {
                if (got.size() >= Transfers.FIRST) {
                  throw new IOException("disk full");
                }
                byte[] b = new byte[src.remaining()];
                src.get(b);
                got.write(b, 0, b.length);
                return b.length;
              });
      assertThat(f.transferTo(0, data.length, failsLater)).isEqualTo(Transfers.FIRST);
      assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(data, Transfers.FIRST));
      assertThat(Transfers.pooled()).as("the transfer's buffers kept for the next").isPositive();
    }
  }

  @Test
  void aSmallTransferUsesNoPooledBufferAndALargeOneGivesEachBackOnce() throws Exception {
    try (FileObject f = fx.open(CoreFixture.ALICE, "small")) {
      Transfers.emptyPool();
      assertThat(f.transferFrom(source(new byte[100]), 0, 100)).isEqualTo(100);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(f.transferTo(0, 100, Channels.newChannel(out))).isEqualTo(100);
      assertThat(Transfers.pooled()).as("a small file needs no direct buffer").isZero();

      byte[] big = CoreFixture.random(3 * Transfers.CHUNK, 15);
      assertThat(f.transferFrom(source(big), 0, big.length)).isEqualTo(big.length);
      assertThat(f.transferTo(0, big.length, Channels.newChannel(out))).isEqualTo(big.length);
      java.util.Set<ByteBuffer> distinct =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      int n = Transfers.pooled();
      for (int i = 0; i < n; i++) {
        distinct.add(Transfers.take(Transfers.FIRST));
        distinct.add(Transfers.take(Transfers.CHUNK));
      }
      assertThat(n).isPositive();
      // every buffer taken is a different one (new ones once the pool is empty): none was given
      // back twice
      assertThat(distinct).hasSize(2 * n);
    }
  }

  @Test
  void transfersKeepTheHandlesAccess() {
    fx.put("ro", CoreFixture.random(10, 9));
    try (FileObject f =
        fx.rdr.create(
            fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\ro", CreateRequest.openRead(""))) {
      assertThatThrownBy(() -> f.transferFrom(source(new byte[] {1, 2}), 0, 2))
          .isInstanceOfSatisfying(
              RxException.class, e -> assertThat(e.status()).isEqualTo(NtStatus.ACCESS_DENIED));
      assertThat(fx.server("ro")).hasSize(10);
    }
  }

  /** What a target channel's write does. */
  private interface Write {
    int write(ByteBuffer src) throws IOException;
  }

  /** A target channel, always open, that writes as {@code w} does. */
  private static WritableByteChannel target(Write w) {
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        return w.write(src);
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  private static ReadableByteChannel source(byte[] in) {
    return Channels.newChannel(new ByteArrayInputStream(in));
  }
}
