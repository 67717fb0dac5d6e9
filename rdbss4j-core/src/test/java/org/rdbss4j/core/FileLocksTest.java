package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The FCB's byte-range locks are checked on every read and write, before the data cache and the
 * mini-redirector: a server that granted a caching lease does not check them for us.
 */
class FileLocksTest {
  private final CoreFixture fx = new CoreFixture();

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  private static NtStatus write(FileObject f, long off, int n) {
    return CoreFixture.statusOf(() -> f.write(off, ByteBuffer.allocate(n)));
  }

  private static NtStatus read(FileObject f, long off, int n) {
    return CoreFixture.statusOf(() -> f.read(off, ByteBuffer.allocate(n)));
  }

  @Test
  void anotherHandlesLocksStopReadsAndWritesEvenWhenTheDataIsCached() {
    fx.m.files.put("F", new byte[100]);
    fx.m.grant = Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    try (FileObject a = fx.open(CoreFixture.ALICE, "f");
        FileObject b = fx.open(CoreFixture.ALICE, "f")) {
      a.lock(0, 10, true, true);
      assertThat(write(b, 5, 1)).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
      assertThat(read(b, 0, 20)).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
      assertThat(b.write(10, ByteBuffer.allocate(5))).as("next to the lock").isEqualTo(5);
      assertThat(a.write(0, ByteBuffer.allocate(10))).as("the owner's own lock").isEqualTo(10);
      a.unlock(0, 10);
      assertThat(b.write(5, ByteBuffer.allocate(1))).isEqualTo(1);

      a.lock(20, 10, false, true);
      assertThat(read(b, 20, 10)).as("a shared lock lets others read").isEqualTo(NtStatus.SUCCESS);
      assertThat(write(b, 25, 1)).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
      a.lock(40, 0, true, true);
      assertThat(write(b, 40, 1)).as("an empty lock stops nothing").isEqualTo(NtStatus.SUCCESS);
      a.close();
      assertThat(write(b, 25, 1)).as("cleanup released the locks").isEqualTo(NtStatus.SUCCESS);
    }
  }

  @Test
  void aServerSideCopyIsCheckedLikeAReadOfTheSourceAndAWriteOfTheTarget() {
    fx.m.files.put("S", new byte[100]);
    fx.m.files.put("T", new byte[100]);
    try (FileObject s = fx.open(CoreFixture.ALICE, "s");
        FileObject t = fx.open(CoreFixture.ALICE, "t");
        FileObject other = fx.open(CoreFixture.ALICE, "t")) {
      other.lock(0, 10, false, true);
      assertThat(
              CoreFixture.statusOf(
                  () -> fx.rdr.copyRange(fx.ctx(CoreFixture.ALICE), s, 0, t, 5, 10)))
          .isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
    }
  }
}
