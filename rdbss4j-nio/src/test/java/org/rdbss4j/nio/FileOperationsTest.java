package org.rdbss4j.nio;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileOperationsTest extends NioTestBase {
  private static final FileTime T = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
  private RdbssFileSystem fs;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
  }

  private RdbssPath p(String s) {
    return fs.getPath(s);
  }

  private static List<String> names(DirectoryStream<Path> ds) {
    List<String> l = new ArrayList<>();
    ds.forEach(x -> l.add(x.getFileName().toString()));
    return l;
  }

  @Test
  void directoryStreamsListAndFilterWithGlobs() throws Exception {
    Files.createDirectory(p("\\d"));
    for (String n : List.of("a.txt", "B.TXT", "c.bin")) {
      Files.writeString(p("\\d").resolve(n), n);
    }
    Files.createDirectory(p("\\d\\sub"));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p("\\D"))) {
      assertThat(names(ds)).containsExactlyInAnyOrder("a.txt", "B.TXT", "c.bin", "sub");
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p("\\d"), "*.txt")) {
      assertThat(names(ds)).containsExactlyInAnyOrder("a.txt", "B.TXT");
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p("\\d"), Files::isDirectory)) {
      List<Path> l = new ArrayList<>();
      ds.forEach(l::add);
      assertThat(l).containsExactly(p("\\d\\sub"));
    }
    assertThatThrownBy(() -> Files.newDirectoryStream(p("\\d\\a.txt")))
        .isInstanceOf(NotDirectoryException.class);
    assertThatThrownBy(() -> Files.newDirectoryStream(p("\\none")))
        .isInstanceOf(NoSuchFileException.class);
    try (var walk = Files.walk(p("\\"))) {
      assertThat(walk.count()).isEqualTo(6);
    }
  }

  @Test
  void createAndDeleteDirectories() throws Exception {
    Files.createDirectories(p("\\a\\b\\c"));
    assertThat(Files.isDirectory(shareDir.resolve("a/b/c"))).isTrue();
    assertThatThrownBy(() -> Files.createDirectory(p("\\A\\B")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> Files.delete(p("\\a\\b")))
        .isInstanceOf(DirectoryNotEmptyException.class)
        .hasMessageContaining("STATUS_DIRECTORY_NOT_EMPTY");
    Files.delete(p("\\a\\b\\c"));
    assertThatThrownBy(() -> Files.delete(p("\\a\\b\\c"))).isInstanceOf(NoSuchFileException.class);
    assertThat(Files.deleteIfExists(p("\\a\\b"))).isTrue();
    assertThat(Files.deleteIfExists(p("\\a\\b"))).isFalse();
    assertThatThrownBy(() -> Files.createDirectory(p("\\x\\y")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void moveIsARenameOnTheServer() throws Exception {
    Files.writeString(p("a.txt"), "A");
    Files.writeString(p("b.txt"), "B");
    Files.createDirectory(p("dir"));
    assertThatThrownBy(() -> Files.move(p("a.txt"), p("B.TXT")))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.move(p("a.txt"), p("dir\\moved.txt"), ATOMIC_MOVE);
    assertThat(Files.readString(shareDir.resolve("dir/moved.txt"))).isEqualTo("A");
    Files.move(p("dir\\moved.txt"), p("b.txt"), REPLACE_EXISTING);
    assertThat(Files.readString(p("b.txt"))).isEqualTo("A");
    Files.move(p("b.txt"), p("B.TXT"));
    assertThat(shareDir.resolve("B.TXT")).as("a case-only rename").exists();
    Files.move(p("dir"), p("empty-dir-replaced"));
    Files.createDirectory(p("target"));
    Files.move(p("empty-dir-replaced"), p("target"), REPLACE_EXISTING);
    assertThat(Files.isDirectory(p("target"))).isTrue();
    Files.writeString(p("target\\f"), "f");
    Files.createDirectory(p("other"));
    assertThatThrownBy(() -> Files.move(p("other"), p("target"), REPLACE_EXISTING))
        .isInstanceOf(DirectoryNotEmptyException.class);
    assertThatThrownBy(() -> Files.move(p("nothing"), p("x")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aDirectoryRenamesWhileTheRedirectorHoldsDelayedClosesBelowIt() throws Exception {
    Files.createDirectories(p("\\tree\\sub"));
    Files.writeString(p("\\tree\\sub\\f.txt"), "f");
    assertThat(Files.readString(p("\\tree\\sub\\f.txt"))).isEqualTo("f");
    assertThat(rdr.scavenger().delayedCloseCount()).as("the read's close is delayed").isPositive();
    Files.move(p("\\tree"), p("\\renamed"));
    assertThat(Files.readString(shareDir.resolve("renamed/sub/f.txt"))).isEqualTo("f");
  }

  @Test
  void moveAcrossSharesCopiesAndDeletes() throws Exception {
    RdbssFileSystem other = open("other", "alice");
    Files.writeString(p("f.txt"), "data");
    Files.setLastModifiedTime(p("f.txt"), T);
    assertThatThrownBy(() -> Files.move(p("f.txt"), other.getPath("f.txt"), ATOMIC_MOVE))
        .isInstanceOf(AtomicMoveNotSupportedException.class);
    Files.move(p("f.txt"), other.getPath("f.txt"));
    assertThat(Files.exists(p("f.txt"))).isFalse();
    assertThat(Files.readString(otherDir.resolve("f.txt"))).isEqualTo("data");
    assertThat(Files.getLastModifiedTime(other.getPath("f.txt"))).isEqualTo(T);
    Files.createDirectory(p("full"));
    Files.writeString(p("full\\x"), "x");
    assertThatThrownBy(() -> Files.move(p("full"), other.getPath("full")))
        .isInstanceOf(DirectoryNotEmptyException.class);
    Files.move(other.getPath("f.txt"), tmp.resolve("out.txt"));
    assertThat(Files.readString(tmp.resolve("out.txt"))).isEqualTo("data");
  }

  @Test
  void copyWithAndWithoutOptions() throws Exception {
    Files.writeString(p("src.txt"), "source");
    Files.setLastModifiedTime(p("src.txt"), T);
    Files.copy(p("src.txt"), p("plain.txt"));
    assertThat(Files.readString(p("plain.txt"))).isEqualTo("source");
    assertThat(Files.getLastModifiedTime(p("plain.txt"))).isNotEqualTo(T);
    assertThatThrownBy(() -> Files.copy(p("src.txt"), p("PLAIN.txt")))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.writeString(p("src.txt"), "changed");
    Files.setAttribute(p("src.txt"), "dos:hidden", true);
    Files.setLastModifiedTime(p("src.txt"), T);
    Files.copy(p("src.txt"), p("plain.txt"), REPLACE_EXISTING, COPY_ATTRIBUTES);
    assertThat(Files.readString(p("plain.txt"))).isEqualTo("changed");
    assertThat(Files.getLastModifiedTime(p("plain.txt"))).isEqualTo(T);
    assertThat(Files.isHidden(p("plain.txt"))).isTrue();
    Files.copy(p("src.txt"), p("src.txt"));
    RdbssFileSystem bob = open("share", "bob");
    Files.copy(p("src.txt"), bob.getPath("by-bob.txt"));
    assertThat(Files.readString(shareDir.resolve("by-bob.txt"))).isEqualTo("changed");
    Files.createDirectory(p("d"));
    Files.copy(p("d"), p("d2"));
    assertThat(Files.isDirectory(p("d2"))).isTrue();
    Files.copy(tmp.resolve("share").resolve("src.txt"), p("from-local.txt"));
    assertThat(Files.readString(p("from-local.txt"))).isEqualTo("changed");
  }

  @Test
  void basicAndDosAttributes() throws Exception {
    Files.writeString(p("f.txt"), "12345");
    BasicFileAttributes a = Files.readAttributes(p("F.TXT"), BasicFileAttributes.class);
    assertThat(a.isRegularFile()).isTrue();
    assertThat(a.isDirectory()).isFalse();
    assertThat(a.size()).isEqualTo(5);
    assertThat(a.fileKey()).isNotNull();
    Files.getFileAttributeView(p("f.txt"), BasicFileAttributeView.class).setTimes(T, null, null);
    assertThat(Files.getLastModifiedTime(p("f.txt"))).isEqualTo(T);
    assertThat(Files.getLastModifiedTime(shareDir.resolve("f.txt"))).isEqualTo(T);

    DosFileAttributeView dos = Files.getFileAttributeView(p("f.txt"), DosFileAttributeView.class);
    dos.setHidden(true);
    dos.setArchive(true);
    DosFileAttributes d = dos.readAttributes();
    assertThat(d.isHidden()).isTrue();
    assertThat(d.isArchive()).isTrue();
    assertThat(d.isSystem()).isFalse();
    assertThat(Files.isHidden(p("f.txt"))).isTrue();
    Files.setAttribute(p("f.txt"), "dos:hidden", false);
    assertThat(Files.getAttribute(p("f.txt"), "dos:hidden")).isEqualTo(false);
    Map<String, Object> all = Files.readAttributes(p("f.txt"), "dos:*");
    assertThat(all).containsKeys("size", "lastModifiedTime", "readonly", "archive", "attributes");
    assertThat(Files.readAttributes(p("f.txt"), "size,isDirectory"))
        .containsEntry("size", 5L)
        .containsEntry("isDirectory", false);
    assertThat(Files.getFileAttributeView(p("f.txt"), PosixFileAttributeView.class)).isNull();
    assertThatThrownBy(() -> Files.readAttributes(p("f.txt"), "posix:*"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Files.setAttribute(p("f.txt"), "dos:nonsense", true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fs.supportedFileAttributeViews()).containsExactlyInAnyOrder("basic", "dos");
  }

  @Test
  void readOnlyFilesRefuseWritesAndDeletes() throws Exception {
    Files.writeString(p("ro.txt"), "x");
    Files.setAttribute(p("ro.txt"), "dos:readonly", true);
    assertThat(Files.isReadable(p("ro.txt"))).isTrue();
    assertThat(Files.isWritable(p("ro.txt"))).isFalse();
    assertThatThrownBy(() -> Files.writeString(p("ro.txt"), "y"))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> Files.delete(p("ro.txt"))).isInstanceOf(AccessDeniedException.class);
    Files.setAttribute(p("ro.txt"), "dos:readonly", false);
    Files.delete(p("ro.txt"));
  }

  @Test
  void aReadOnlyShareRefusesChanges() throws Exception {
    Files.writeString(roDir.resolve("r.txt"), "r");
    RdbssFileSystem ro = open("ro", "alice");
    assertThat(Files.readString(ro.getPath("r.txt"))).isEqualTo("r");
    assertThat(Files.isWritable(ro.getPath("r.txt"))).isFalse();
    ro.provider().checkAccess(ro.getPath("r.txt"), AccessMode.READ);
    assertThatThrownBy(() -> Files.writeString(ro.getPath("new.txt"), "n"))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> Files.delete(ro.getPath("r.txt")))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void fileStoreSizesComeFromTheShare() throws Exception {
    FileStore store = Files.getFileStore(p("\\"));
    FileStore local = Files.getFileStore(shareDir);
    assertThat(store.name()).isEqualTo("\\\\local\\share");
    assertThat(store.type()).isEqualTo("local");
    assertThat(store.getTotalSpace()).isEqualTo(local.getTotalSpace());
    assertThat(store.getUsableSpace()).isPositive();
    assertThat(store.getAttribute("totalSpace")).isEqualTo(local.getTotalSpace());
    assertThat(store.supportsFileAttributeView("dos")).isTrue();
    assertThat(store.supportsFileAttributeView(PosixFileAttributeView.class)).isFalse();
    assertThat(fs.getFileStores()).containsExactly(store);
    assertThatThrownBy(() -> Files.getFileStore(p("\\missing")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void sameFileAcrossPathsAndIdentities() throws Exception {
    Files.writeString(p("s.txt"), "s");
    Files.writeString(p("t.txt"), "t");
    RdbssFileSystem bob = open("share", "bob");
    assertThat(Files.isSameFile(p("s.txt"), p("\\S.TXT"))).isTrue();
    assertThat(Files.isSameFile(p("s.txt"), bob.getPath("s.txt"))).isTrue();
    assertThat(Files.isSameFile(p("s.txt"), p("t.txt"))).isFalse();
    assertThat(Files.isSameFile(p("nothing"), p("NOTHING"))).isTrue();
    assertThat(Files.isSameFile(p("s.txt"), shareDir.resolve("s.txt"))).isFalse();
    assertThatThrownBy(() -> Files.isSameFile(p("s.txt"), p("nothing")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void existenceAndAccessChecks() throws Exception {
    Files.writeString(p("e.txt"), "e");
    assertThat(Files.exists(p("E.txt"))).isTrue();
    assertThat(Files.notExists(p("f.txt"))).isTrue();
    assertThat(Files.isRegularFile(p("e.txt"))).isTrue();
    assertThat(Files.isDirectory(p("\\"))).isTrue();
    assertThat(Files.isExecutable(p("e.txt"))).isTrue();
    assertThat(Files.size(p("e.txt"))).isEqualTo(1);
    assertThatThrownBy(() -> fs.provider().checkAccess(p("none"), AccessMode.READ))
        .isInstanceOf(NoSuchFileException.class);
  }
}
