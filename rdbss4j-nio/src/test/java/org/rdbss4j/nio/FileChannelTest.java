package org.rdbss4j.nio;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.RxContext;

class FileChannelTest extends NioTestBase {
  private RdbssFileSystem fs;
  private RdbssPath file;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
    file = fs.getPath("\\data.bin");
    Files.writeString(file, "0123456789");
  }

  private FileChannel rw() throws Exception {
    return FileChannel.open(file, READ, WRITE);
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String read(FileChannel ch, long at, int n) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(n);
    ch.read(b, at);
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
  }

  @Test
  void positionalAndRelativeReadsAndWrites() throws Exception {
    try (FileChannel ch = rw()) {
      assertThat(ch.size()).isEqualTo(10);
      assertThat(ch.position(4).position()).isEqualTo(4);
      assertThat(ch.write(ascii("ab"))).isEqualTo(2);
      assertThat(ch.position()).isEqualTo(6);
      ByteBuffer two = ByteBuffer.allocate(2);
      assertThat(ch.read(two)).isEqualTo(2);
      assertThat(ch.position()).isEqualTo(8);
      assertThat(ch.write(ascii("XY"), 12)).isEqualTo(2);
      assertThat(ch.position()).as("a positional write leaves the position").isEqualTo(8);
      assertThat(ch.size()).isEqualTo(14);
      assertThat(read(ch, 0, 14)).isEqualTo("0123ab6789\0\0XY");
      assertThat(ch.read(ByteBuffer.allocate(4), 14)).isEqualTo(-1);
      ch.force(true);
    }
  }

  @Test
  void scatteringAndGatheringTransfers() throws Exception {
    try (FileChannel ch = rw()) {
      ByteBuffer[] parts = {ByteBuffer.allocate(3), ByteBuffer.allocate(4), ByteBuffer.allocate(9)};
      assertThat(ch.read(parts)).isEqualTo(10);
      ch.position(0);
      assertThat(ch.write(new ByteBuffer[] {ascii("ab"), ascii("cd")})).isEqualTo(4);
      assertThat(read(ch, 0, 10)).isEqualTo("abcd456789");
    }
  }

  @Test
  void appendWritesAtTheEnd() throws Exception {
    try (FileChannel ch = FileChannel.open(file, APPEND)) {
      ch.write(ascii("AB"));
      ch.position(0);
      ch.write(ascii("CD"));
    }
    assertThat(Files.readString(file)).isEqualTo("0123456789ABCD");
    assertThatThrownBy(() -> FileChannel.open(file, READ, APPEND))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncateShrinksOnlyAndPullsThePositionBack() throws Exception {
    try (FileChannel ch = rw()) {
      ch.position(8);
      ch.truncate(5);
      assertThat(ch.size()).isEqualTo(5);
      assertThat(ch.position()).isEqualTo(5);
      ch.truncate(50);
      assertThat(ch.size()).isEqualTo(5);
    }
    assertThat(Files.readString(file)).isEqualTo("01234");
  }

  @Test
  void transferToAndFromAnotherFileSystem() throws Exception {
    java.nio.file.Path local = tmp.resolve("local.bin");
    try (FileChannel src = FileChannel.open(file, READ);
        FileChannel dst = FileChannel.open(local, CREATE, WRITE)) {
      assertThat(src.transferTo(2, 5, dst)).isEqualTo(5);
      assertThat(src.position()).isZero();
    }
    assertThat(Files.readString(local)).isEqualTo("23456");
    try (FileChannel src = FileChannel.open(local, READ);
        FileChannel dst = rw()) {
      assertThat(dst.transferFrom(src, 8, 100)).isEqualTo(5);
      assertThat(dst.transferFrom(src, 100, 1)).as("beyond the end").isZero();
    }
    assertThat(Files.readString(file)).isEqualTo("0123456723456");
  }

  @Test
  void filesCopyOutOfAShareEndsInTheChannelsTransferToWithItsLargeReads() throws Exception {
    byte[] data = new byte[3 << 20];
    new java.util.Random(5).nextBytes(data);
    Files.write(file, data);
    observed.readSizes.clear();
    java.nio.file.Path local = tmp.resolve("copied.bin");

    Files.copy(file, local);

    assertThat(Files.readAllBytes(local)).isEqualTo(data);
    // the transfer's first buffer, then one range of the rest: a buffered stream would have asked
    // for at most its buffer (1 MiB) each time
    assertThat(observed.readSizes).startsWith(1 << 20, 2 << 20);
  }

  @Test
  void openOptionsBecomeCreateDispositions() throws Exception {
    assertThatThrownBy(() -> FileChannel.open(file, CREATE_NEW, WRITE))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> FileChannel.open(fs.getPath("missing"), READ))
        .isInstanceOf(NoSuchFileException.class);
    FileChannel.open(file, WRITE, TRUNCATE_EXISTING).close();
    assertThat(Files.size(file)).isZero();
    RdbssPath temp = fs.getPath("temp.bin");
    try (FileChannel ch = FileChannel.open(temp, CREATE_NEW, WRITE, DELETE_ON_CLOSE)) {
      ch.write(ascii("x"));
      assertThat(Files.exists(shareDir.resolve("temp.bin"))).isTrue();
    }
    assertThat(Files.exists(shareDir.resolve("temp.bin"))).isFalse();
    try (FileChannel ro = FileChannel.open(file, READ)) {
      assertThatThrownBy(() -> ro.write(ascii("x")))
          .isInstanceOf(NonWritableChannelException.class);
      assertThatThrownBy(() -> ro.lock()).isInstanceOf(NonWritableChannelException.class);
      assertThatThrownBy(() -> ro.map(FileChannel.MapMode.READ_ONLY, 0, 1))
          .isInstanceOf(UnsupportedOperationException.class);
    }
    try (FileChannel wo = FileChannel.open(file, WRITE)) {
      assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1)))
          .isInstanceOf(NonReadableChannelException.class);
    }
  }

  @Test
  void streamsCarryBinaryDataBothWays() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(5).nextBytes(data);
    try (OutputStream out = Files.newOutputStream(fs.getPath("big.bin"))) {
      out.write(data);
    }
    try (InputStream in = Files.newInputStream(fs.getPath("BIG.BIN"))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(Files.readAllBytes(fs.getPath("big.bin"))).isEqualTo(data);
  }

  @Test
  void overlappingLocksOfOneChannelThrowAsInTheJdk() throws Exception {
    try (FileChannel ch = rw()) {
      FileLock l = ch.lock(0, 5, false);
      assertThat(l.isValid()).isTrue();
      assertThatThrownBy(() -> ch.tryLock(4, 2, false))
          .isInstanceOf(OverlappingFileLockException.class);
      FileLock other = ch.lock(5, 5, true);
      l.release();
      assertThat(l.isValid()).isFalse();
      ch.lock(0, 5, false).release();
      other.release();
    }
  }

  @Test
  void anotherChannelsLockConflictsOnTheServer() throws Exception {
    try (FileChannel a = rw();
        FileChannel b = rw()) {
      FileLock la = a.lock(0, 5, false);
      assertThat(b.tryLock(3, 5, false)).isNull();
      assertThat(b.tryLock(3, 5, true)).isNull();
      FileLock lb = b.tryLock(5, 5, false);
      assertThat(lb).isNotNull();
      assertThatThrownBy(() -> b.write(ascii("z"), 0))
          .as("locks are mandatory, as on Windows")
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining("STATUS_FILE_LOCK_CONFLICT");
      la.release();
      b.write(ascii("z"), 0);
    }
  }

  @Test
  void sharedLocksCoexist() throws Exception {
    try (FileChannel a = FileChannel.open(file, READ);
        FileChannel b = FileChannel.open(file, READ)) {
      FileLock la = a.lock(0, Long.MAX_VALUE, true);
      FileLock lb = b.tryLock(0, Long.MAX_VALUE, true);
      assertThat(la.isShared()).isTrue();
      assertThat(lb).isNotNull();
    }
  }

  @Test
  void aWaitingLockIsGrantedWhenTheHolderReleases() throws Exception {
    try (FileChannel a = rw();
        FileChannel b = rw()) {
      FileLock la = a.lock();
      CompletableFuture<FileLock> waiting = lockLater(b);
      assertThatThrownBy(() -> waiting.get(200, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      la.release();
      FileLock lb = waiting.get(5, TimeUnit.SECONDS);
      assertThat(lb.isValid()).isTrue();
      assertThat(a.tryLock()).isNull();
    }
  }

  @Test
  void closingAChannelReleasesItsLocksAndEndsItsWaitingLock() throws Exception {
    FileChannel a = rw();
    FileChannel b = rw();
    FileLock la = a.lock();
    CompletableFuture<FileLock> waiting = lockLater(b);
    awaitOutstanding(fs, RxContext.MajorFunction.LOCK_CONTROL);
    b.close();
    assertThat(failureOf(waiting)).isInstanceOf(AsynchronousCloseException.class);
    a.close();
    assertThat(la.isValid()).isFalse();
    try (FileChannel c = rw()) {
      assertThat(c.tryLock()).isNotNull();
    }
  }

  @Test
  void interruptingAWaitingLockClosesTheChannel() throws Exception {
    try (FileChannel a = rw();
        FileChannel b = rw()) {
      a.lock();
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      b.lock();
                      outcome.complete(null);
                    } catch (Throwable e) {
                      outcome.complete(e);
                    }
                  });
      awaitOutstanding(fs, RxContext.MajorFunction.LOCK_CONTROL);
      t.interrupt();
      assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedByInterruptException.class);
      assertThat(b.isOpen()).isFalse();
    }
  }

  private CompletableFuture<FileLock> lockLater(FileChannel ch) {
    CompletableFuture<FileLock> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                f.complete(ch.lock());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }
}
