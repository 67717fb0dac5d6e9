package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.VNetRoot;

class FileIoTest extends LocalTestBase {

  @Test
  void writtenBytesAreOnDiskByteForByteAndReadBack() throws Exception {
    connect(ALICE, "share");
    byte[] data = new byte[300_000];
    new Random(42).nextBytes(data);
    FileObject fo = open(ALICE, CreateRequest.openReadWrite("dir-less.bin"));
    assertThat(fo.write(0, ByteBuffer.wrap(data, 0, 100_000))).isEqualTo(100_000);
    assertThat(fo.write(100_000, ByteBuffer.wrap(data, 100_000, 200_000))).isEqualTo(200_000);
    fo.flush();

    assertThat(Files.readAllBytes(shareDir.resolve("dir-less.bin"))).isEqualTo(data);

    ByteBuffer back = ByteBuffer.allocate(data.length);
    assertThat(fo.read(0, back)).isEqualTo(data.length);
    assertThat(back.array()).isEqualTo(data);
    assertThat(fo.read(data.length, ByteBuffer.allocate(10))).isEqualTo(-1);
    assertThat(fo.read(data.length - 4, ByteBuffer.allocate(10))).isEqualTo(4);
    fo.close();
  }

  @Test
  void writesIntoSubdirectoryAndReadsFileWrittenOnDisk() throws Exception {
    Files.createDirectory(shareDir.resolve("dir"));
    Files.writeString(shareDir.resolve("dir").resolve("f.txt"), "from disk");
    try (FileObject fo =
        rdr.create(ctx(ALICE), "\\\\local\\share\\dir\\f.txt", CreateRequest.openRead(""))) {
      assertThat(readAll(fo)).isEqualTo("from disk");
    }
  }

  @Test
  void endOfFileTruncatesAndExtends() throws Exception {
    Path p = shareDir.resolve("eof.txt");
    Files.writeString(p, "0123456789abcdef");
    FileObject fo = open(ALICE, CreateRequest.openReadWrite("eof.txt"));
    fo.setInformation(new SetInfo.EndOfFile(10));
    assertThat(Files.readString(p)).isEqualTo("0123456789");
    fo.setInformation(new SetInfo.EndOfFile(1000));
    byte[] disk = Files.readAllBytes(p);
    assertThat(disk).hasSize(1000);
    assertThat(disk[999]).isZero();
    assertThat(fo.queryInformation().size()).isEqualTo(1000);
    fo.close();
  }

  @Test
  void queryInformationReportsSizeTimesAndInode() throws Exception {
    Path p = shareDir.resolve("info.txt");
    Files.writeString(p, "hello");
    FileTime mtime = FileTime.fromMillis(1_600_000_000_000L);
    Files.setLastModifiedTime(p, mtime);
    FileObject fo = open(ALICE, CreateRequest.openRead("INFO.TXT"));
    FileInfo info = fo.queryInformation();
    assertThat(info.size()).isEqualTo(5);
    assertThat(info.allocationSize()).isGreaterThanOrEqualTo(5);
    assertThat(info.directory()).isFalse();
    assertThat(info.lastWriteTime()).isEqualTo(mtime.toInstant());
    assertThat(info.attributes()).isEqualTo(FileAccess.ATTRIBUTE_NORMAL);
    assertThat(info.fileId()).isEqualTo(((Number) Files.getAttribute(p, "unix:ino")).longValue());
    assertThat(info.name()).isEqualTo("info.txt");
    fo.close();

    FileObject dir = open(ALICE, CreateRequest.openDirectory(""));
    FileInfo root = dir.queryInformation();
    assertThat(root.directory()).isTrue();
    assertThat(root.attributes() & FileAccess.ATTRIBUTE_DIRECTORY).isNotZero();
    dir.close();
  }

  @Test
  void accessIsCheckedPerHandle() throws Exception {
    Files.writeString(shareDir.resolve("a.txt"), "abc");
    FileObject ro = open(ALICE, CreateRequest.openRead("a.txt"));
    assertThat(statusOf(() -> ro.write(0, bytes("x")))).isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> ro.setInformation(new SetInfo.EndOfFile(0))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    ro.close();
    FileObject wo =
        open(
            ALICE,
            new CreateRequest(
                "a.txt", FILE_WRITE_DATA, FILE_SHARE_ALL, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0));
    assertThat(statusOf(() -> wo.read(0, ByteBuffer.allocate(3))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(wo.write(0, bytes("X"))).isEqualTo(1);
    wo.close();
    assertThat(Files.readString(shareDir.resolve("a.txt"))).isEqualTo("Xbc");
    FileObject dir = open(ALICE, CreateRequest.openDirectory(""));
    assertThat(statusOf(() -> dir.read(0, ByteBuffer.allocate(1))))
        .isEqualTo(NtStatus.INVALID_DEVICE_REQUEST);
    dir.close();
  }

  @Test
  void volumeInformationComesFromTheFileStore() throws Exception {
    VNetRoot v = rdr.addConnection(ctx(ALICE), "\\\\local\\share", null, null, null);
    try {
      long[] tf = local.queryVolume(ctx(ALICE), v).join();
      assertThat(tf[0]).isEqualTo(Files.getFileStore(shareDir).getTotalSpace());
      assertThat(tf[1]).isBetween(0L, tf[0]);
    } finally {
      rdr.deleteConnection(ctx(ALICE), "\\\\local\\share", ForceFilesClosed.FALSE, Set.of());
    }
  }

  @Test
  void attributesOnlyHandleHasNoData() throws Exception {
    Files.writeString(shareDir.resolve("attr.txt"), "abc");
    FileObject fo =
        open(
            ALICE,
            new CreateRequest(
                "attr.txt",
                FileAccess.FILE_READ_ATTRIBUTES,
                FILE_SHARE_ALL,
                FILE_OPEN,
                FILE_NON_DIRECTORY_FILE,
                0));
    assertThat(fo.queryInformation().size()).isEqualTo(3);
    assertThat(statusOf(() -> fo.read(0, ByteBuffer.allocate(3))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    fo.close();
    FileObject r = open(ALICE, new CreateRequest("attr.txt", GENERIC_READ, 0, FILE_OPEN, 0, 0));
    assertThat(readAll(r)).isEqualTo("abc");
    r.close();
  }
}
