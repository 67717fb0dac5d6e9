package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.rdbss4j.core.FileAccess.FILE_DELETE_ON_CLOSE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/** Open, read, write, truncate, rename, delete, list and attributes on a real Samba share. */
class SmbFileIoTest extends SmbTestBase {

  private Path rw() {
    return samba().shareDir(SambaServer.RW);
  }

  @Test
  void writtenDataIsOnTheServersDiskByteForByteAndReadsBack() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(3 * 1024 * 1024 + 123, 1);
    FileObject f = open(x, CreateRequest.openReadWrite("data.bin"));
    assertThat(f.createAction()).isEqualTo(CreateResult.Action.CREATED);
    writeAll(f, 0, data);
    f.flush(); // written behind under the lease: on the server's disk once flushed
    assertThat(Files.readAllBytes(rw().resolve("data.bin"))).isEqualTo(data);
    assertThat(readAll(f, 0, data.length + 10)).isEqualTo(data);
    assertThat(f.read(data.length, ByteBuffer.allocate(10))).isEqualTo(-1);
    assertThat(readAll(f, 1_000_000, 5))
        .containsExactly(
            data[1_000_000], data[1_000_001], data[1_000_002], data[1_000_003], data[1_000_004]);
    f.close();

    Files.write(rw().resolve("from-disk.bin"), data);
    try (FileObject g = open(x, CreateRequest.openRead("from-disk.bin"))) {
      assertThat(g.createAction()).isEqualTo(CreateResult.Action.OPENED);
      assertThat(g.queryInformation().size()).isEqualTo(data.length);
      assertThat(readAll(g, 0, data.length)).isEqualTo(data);
    }
  }

  @Test
  void truncateRenameListAndDelete() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    try (FileObject d = open(x, CreateRequest.createDirectory("docs"))) {
      assertThat(d.isDirectory()).isTrue();
    }
    FileObject f =
        open(
            x,
            CreateRequest.openReadWrite("docs\\a.txt")
                .withAccess(
                    FileAccess.GENERIC_READ | FileAccess.GENERIC_WRITE | FileAccess.DELETE));
    writeAll(f, 0, "hello, world".getBytes(StandardCharsets.UTF_8));
    f.setInformation(new SetInfo.EndOfFile(5));
    assertThat(Files.readString(rw().resolve("docs/a.txt"))).isEqualTo("hello");
    assertThat(f.queryInformation().size()).isEqualTo(5);
    f.setInformation(new SetInfo.Rename("docs\\b.txt", false));
    assertThat(rw().resolve("docs/a.txt")).doesNotExist();
    assertThat(Files.readString(rw().resolve("docs/b.txt"))).isEqualTo("hello");
    f.close();
    Files.writeString(rw().resolve("docs/c.log"), "log");

    try (FileObject dir = open(x, CreateRequest.openDirectory("docs"))) {
      assertThat(dir.queryDirectory("*"))
          .extracting(FileInfo::name)
          .containsExactly("b.txt", "c.log");
      assertThat(dir.queryDirectory("*.txt")).extracting(FileInfo::name).containsExactly("b.txt");
      assertThat(dir.queryDirectory("*.none")).isEmpty();
    }
    try (FileObject root = open(x, CreateRequest.openDirectory(""))) {
      List<FileInfo> top = root.queryDirectory("*");
      assertThat(top)
          .filteredOn(i -> i.name().equals("docs"))
          .singleElement()
          .satisfies(i -> assertThat(i.directory()).isTrue());
    }

    try (FileObject del =
        open(x, CreateRequest.openRead("docs\\b.txt").withAccess(FileAccess.DELETE))) {
      del.setInformation(new SetInfo.Disposition(true));
    }
    assertThat(rw().resolve("docs/b.txt")).doesNotExist();
    open(
            x,
            new CreateRequest(
                "docs\\c.log",
                FileAccess.DELETE,
                FileAccess.FILE_SHARE_ALL,
                FileAccess.FILE_OPEN,
                FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
                0))
        .close();
    assertThat(rw().resolve("docs/c.log")).doesNotExist();
    assertThat(statusOf(() -> open(x, CreateRequest.openRead("docs\\b.txt"))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void attributesAndTimes() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    try (FileObject w = open(x, CreateRequest.openReadWrite("t.txt"))) {
      writeAll(w, 0, "12345".getBytes(StandardCharsets.UTF_8));
    }
    Instant when = Instant.parse("2020-02-03T04:05:06Z");
    try (FileObject f =
        open(
            x,
            CreateRequest.openRead("t.txt")
                .withAccess(FileAccess.GENERIC_READ | FileAccess.FILE_WRITE_ATTRIBUTES))) {
      FileInfo before = f.queryInformation();
      assertThat(before.name()).isEqualTo("t.txt");
      assertThat(before.size()).isEqualTo(5);
      assertThat(before.directory()).isFalse();
      assertThat(before.lastWriteTime())
          .isCloseTo(
              Files.getLastModifiedTime(rw().resolve("t.txt")).toInstant(),
              within(1, ChronoUnit.SECONDS));
      f.setInformation(new SetInfo.Basic(null, null, when, -1));
      assertThat(f.queryInformation().lastWriteTime()).isEqualTo(when);
    }
    assertThat(Files.getLastModifiedTime(rw().resolve("t.txt"))).isEqualTo(FileTime.from(when));
  }

  @Test
  void secondOpenThatTheFirstDoesNotShareIsASharingViolation() {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    VNetRoot y = use(BOB, SambaServer.RW, "Y:");
    CreateRequest exclusive = CreateRequest.openReadWrite("locked.txt").withShareAccess(0);
    open(x, exclusive);
    assertThat(statusOf(() -> open(x, exclusive))).isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(statusOf(() -> open(y, CreateRequest.openRead("locked.txt"))))
        .isEqualTo(NtStatus.SHARING_VIOLATION);
  }

  @Test
  void theReadOnlyShareRefusesChanges() throws Exception {
    Files.writeString(samba().shareDir(SambaServer.RO).resolve("r.txt"), "read me");
    VNetRoot r = use(ALICE, SambaServer.RO, "R:");
    try (FileObject f = open(r, CreateRequest.openRead("r.txt"))) {
      assertThat(new String(readAll(f, 0, 100), StandardCharsets.UTF_8)).isEqualTo("read me");
    }
    assertThat(statusOf(() -> open(r, CreateRequest.openReadWrite("new.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(r, CreateRequest.openReadWrite("r.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(samba().shareDir(SambaServer.RO).resolve("new.txt")).doesNotExist();
  }

  @Test
  void genericAllWithOverwriteIfIsSentAsRightsSambaGrants() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    CreateRequest all =
        new CreateRequest(
            "all.txt",
            Access.GENERIC_ALL,
            FileAccess.FILE_SHARE_READ,
            FileAccess.FILE_OVERWRITE_IF,
            FILE_NON_DIRECTORY_FILE,
            FileAccess.ATTRIBUTE_NORMAL);
    try (FileObject f = open(x, all)) {
      assertThat(f.createAction()).isEqualTo(CreateResult.Action.CREATED);
    }
    try (FileObject w = open(x, CreateRequest.openReadWrite("all.txt"))) {
      writeAll(w, 0, "first".getBytes(StandardCharsets.UTF_8));
    }
    // the core checks reads and writes against specific rights only, so only opening is tried
    try (FileObject f = open(x, all)) {
      assertThat(f.createAction()).isEqualTo(CreateResult.Action.OVERWRITTEN);
      assertThat(f.queryInformation().size()).isZero();
    }
  }

  @Test
  void volumeInformation() {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    long[] v = rdr.queryVolume(org.rdbss4j.core.RxContext.of(ALICE), x);
    assertThat(v[0]).isPositive();
    assertThat(v[1]).isBetween(0L, v[0]);
  }
}
