package org.rdbss4j.nio;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * {@code Files.copy} within one file system as a server-side copy ({@code Redirector.copyRange}),
 * on the local mini-redirector ({@code FileChannel.transferTo}), and the data cache kept coherent
 * around it. Results are read back from the share's directory on disk.
 */
class ServerSideCopyTest extends NioTestBase {
  private RdbssFileSystem fs;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void copyWithinAFileSystemRunsOnTheServer() throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 123, 1);
    Files.write(shareDir.resolve("src.bin"), data);
    Files.copy(fs.getPath("\\src.bin"), fs.getPath("\\dst.bin"));
    assertThat(observed.copies.get()).isEqualTo(1);
    assertThat(observed.reads.get()).as("no data through the client").isZero();
    assertThat(Files.readAllBytes(shareDir.resolve("dst.bin"))).isEqualTo(data);
  }

  @Test
  void anEmptyFileIsCopiedToo() throws Exception {
    Files.write(shareDir.resolve("empty"), new byte[0]);
    Files.copy(fs.getPath("\\empty"), fs.getPath("\\empty2"));
    assertThat(Files.size(shareDir.resolve("empty2"))).isZero();
  }

  @Test
  void withoutServerSideCopyTheDataStreamsThroughTheClient() throws Exception {
    observed.refuseCopies.set(true);
    byte[] data = random(2 * 1024 * 1024 + 5, 2);
    Files.write(shareDir.resolve("src.bin"), data);
    Files.copy(fs.getPath("\\src.bin"), fs.getPath("\\dst.bin"));
    assertThat(observed.copies.get()).isZero();
    assertThat(observed.reads.get()).isPositive();
    assertThat(Files.readAllBytes(shareDir.resolve("dst.bin"))).isEqualTo(data);
  }

  @Test
  void aCopyBetweenFileSystemsStreams() throws Exception {
    RdbssFileSystem other = open("other", "alice");
    byte[] data = random(100_000, 3);
    Files.write(shareDir.resolve("src.bin"), data);
    Files.copy(fs.getPath("\\src.bin"), other.getPath("\\dst.bin"));
    assertThat(observed.copies.get()).isZero();
    assertThat(Files.readAllBytes(otherDir.resolve("dst.bin"))).isEqualTo(data);
  }

  @Test
  void dataHeldBackInTheCacheIsWrittenBeforeTheCopy() throws Exception {
    byte[] data = random(200_000, 4);
    Files.write(shareDir.resolve("src.bin"), data);
    Files.write(shareDir.resolve("dst.bin"), new byte[0]);
    byte[] fresh = random(70_000, 5);
    RxContext ctx = RxContext.of(fs.identity());
    try (FileObject src = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openReadWrite("src.bin"));
        FileObject dst = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openReadWrite("dst.bin"))) {
      assertThat(rdr.write(ctx, src, 1000, ByteBuffer.wrap(fresh))).isEqualTo(fresh.length);
      assertThat(Files.readAllBytes(shareDir.resolve("src.bin")))
          .as("the write is held back in the cache")
          .isEqualTo(data);
      assertThat(rdr.copyRange(ctx, src, 0, dst, 0, data.length)).isEqualTo(data.length);
    }
    System.arraycopy(fresh, 0, data, 1000, fresh.length);
    assertThat(Files.readAllBytes(shareDir.resolve("dst.bin"))).isEqualTo(data);
  }

  @Test
  void filesCopySeesDataAnOpenChannelWrote() throws Exception {
    Files.write(shareDir.resolve("src.bin"), random(200_000, 4));
    byte[] fresh = random(70_000, 5);
    try (FileChannel ch = FileChannel.open(fs.getPath("\\src.bin"), READ, WRITE)) {
      ch.write(ByteBuffer.wrap(fresh), 1000);
      Files.copy(fs.getPath("\\src.bin"), fs.getPath("\\dst.bin"));
    }
    byte[] copied = Files.readAllBytes(shareDir.resolve("dst.bin"));
    assertThat(Arrays.copyOfRange(copied, 1000, 71_000)).isEqualTo(fresh);
    assertThat(copied).isEqualTo(Files.readAllBytes(shareDir.resolve("src.bin")));
  }

  @Test
  void theTargetsCachedPagesAreDroppedAfterTheCopy() throws Exception {
    byte[] old = random(150_000, 6);
    byte[] data = random(150_000, 7);
    Files.write(shareDir.resolve("src.bin"), data);
    Files.write(shareDir.resolve("dst.bin"), old);
    RxContext ctx = RxContext.of(fs.identity());
    try (FileChannel reader = FileChannel.open(fs.getPath("\\dst.bin"), READ)) {
      ByteBuffer before = ByteBuffer.allocate(old.length);
      reader.read(before, 0);
      assertThat(before.array()).isEqualTo(old);
      try (FileObject src = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openRead("src.bin"));
          FileObject dst = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openReadWrite("dst.bin"))) {
        assertThat(rdr.copyRange(ctx, src, 10, dst, 20, 100_000)).isEqualTo(100_000);
        // past the source's end: only what is there
        assertThat(rdr.copyRange(ctx, src, 149_990, dst, 0, 100)).isEqualTo(10);
      }
      ByteBuffer after = ByteBuffer.allocate(old.length);
      reader.read(after, 0);
      byte[] expected = old.clone();
      System.arraycopy(data, 10, expected, 20, 100_000);
      System.arraycopy(data, 149_990, expected, 0, 10);
      assertThat(after.array()).isEqualTo(expected);
      assertThat(Files.readAllBytes(shareDir.resolve("dst.bin"))).isEqualTo(expected);
    }
  }

  @Test
  void aCopyNeedsReadAndWriteHandlesOnOneShare() throws Exception {
    RdbssFileSystem other = open("other", "alice");
    Files.write(shareDir.resolve("a"), new byte[10]);
    Files.write(otherDir.resolve("b"), new byte[10]);
    RxContext ctx = RxContext.of(fs.identity());
    try (FileObject a = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openRead("a"));
        FileObject b = rdr.create(ctx, other.vNetRoot(), CreateRequest.openReadWrite("b"));
        FileObject a2 = rdr.create(ctx, fs.vNetRoot(), CreateRequest.openRead("a"))) {
      assertThatThrownBy(() -> rdr.copyRange(ctx, a, 0, b, 0, 10))
          .isInstanceOf(RxException.class)
          .extracting(e -> ((RxException) e).status())
          .isEqualTo(NtStatus.NOT_SAME_DEVICE);
      assertThatThrownBy(() -> rdr.copyRange(ctx, a, 0, a2, 0, 10))
          .isInstanceOf(RxException.class)
          .extracting(e -> ((RxException) e).status())
          .isEqualTo(NtStatus.ACCESS_DENIED);
    }
  }
}
