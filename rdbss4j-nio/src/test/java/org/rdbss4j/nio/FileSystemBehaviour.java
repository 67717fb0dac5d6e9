package org.rdbss4j.nio;

import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One behaviour suite, run against the default file system on a temporary directory ({@link
 * DefaultFileSystemBehaviourTest}), against a share of the local mini-redirector through rdbss4j
 * ({@link RdbssFileSystemBehaviourTest}) and against a Samba share through rdbss4j and the SMB
 * mini-redirector ({@link SmbFileSystemBehaviourTest}), so that every difference shows. Where file
 * systems differ on purpose, the difference is a {@link Capabilities} flag that each run declares;
 * the test asserts the behaviour each value of the flag stands for and says why, under
 * "Difference:". {@code docs/nio.md} lists the same differences. Nothing is skipped: everything
 * else must behave the same.
 */
abstract class FileSystemBehaviour extends NioTestBase {
  private static final FileTime T = FileTime.from(Instant.parse("2021-06-07T08:09:10Z"));

  /**
   * Where the file systems under test legitimately differ.
   *
   * @param caseInsensitive names compare ignoring case (Windows rules), keeping the stored case
   * @param windowsNames {@code <>:"|?*} are invalid in names
   * @param deletePendingWhileOpen a deleted file keeps its name until its last handle closes
   * @param serverLocks the server decides between two channels of one JVM, and locks are mandatory
   * @param dosHidden the {@code dos:hidden} attribute makes a file hidden
   * @param dotFilesHidden a leading dot makes a file hidden (Linux; Samba's {@code hide dot files})
   * @param readOnlyEnforced a {@code dos:readonly} file can be neither written nor deleted by
   *     anyone
   * @param symbolicLinks {@code createSymbolicLink} works
   */
  record Capabilities(
      boolean caseInsensitive,
      boolean windowsNames,
      boolean deletePendingWhileOpen,
      boolean serverLocks,
      boolean dosHidden,
      boolean dotFilesHidden,
      boolean readOnlyEnforced,
      boolean symbolicLinks) {

    /** The default file system on Linux, run as root. */
    static final Capabilities LINUX =
        new Capabilities(false, false, false, false, false, true, false, true);

    /** A share of the local mini-redirector. */
    static final Capabilities LOCAL_SHARE =
        new Capabilities(true, true, true, true, true, false, true, false);

    /**
     * A Samba share with its defaults, through the SMB mini-redirector: as a Windows share, but
     * {@code hide dot files = yes} also reports names with a leading dot as hidden. (Two channels
     * of one file system share an SMB2 handle, and a server holding our lease does not check locks
     * for us: the core checks every read and write against the other handles' locks.)
     */
    static final Capabilities SAMBA_SHARE =
        new Capabilities(true, true, true, true, true, true, true, false);
  }

  /** An empty directory to work in. */
  abstract Path base() throws IOException;

  /** What the file system of {@link #base()} does where file systems differ. */
  abstract Capabilities caps();

  /** Called once a watch is registered, before the change it should report is made. */
  void afterWatchRegistered() throws InterruptedException {}

  private Path p(String first, String... more) throws IOException {
    Path b = base();
    Path r = b.resolve(first);
    for (String m : more) {
      r = r.resolve(m);
    }
    return r;
  }

  private static List<String> list(Path dir, String glob) throws IOException {
    List<String> l = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(x -> l.add(x.getFileName().toString()));
    }
    return l;
  }

  @Test
  void writeThenReadBack() throws Exception {
    Files.writeString(p("a.txt"), "hello");
    assertThat(Files.readString(p("a.txt"))).isEqualTo("hello");
    assertThat(Files.size(p("a.txt"))).isEqualTo(5);
    assertThat(Files.isRegularFile(p("a.txt"))).isTrue();
    assertThat(Files.exists(p("b.txt"))).isFalse();
  }

  @Test
  void channelsReadAndWriteAtPositions() throws Exception {
    try (FileChannel ch = FileChannel.open(p("c.bin"), CREATE_NEW, READ, WRITE)) {
      ch.write(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)), 3);
      ch.truncate(8);
      ByteBuffer b = ByteBuffer.allocate(20);
      assertThat(ch.read(b, 0)).isEqualTo(8);
      assertThat(new String(b.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("012ab567");
      assertThat(ch.position()).isEqualTo(8);
      assertThat(ch.size()).isEqualTo(8);
    }
  }

  @Test
  void appendAddsAtTheEnd() throws Exception {
    Files.writeString(p("log"), "a");
    Files.writeString(p("log"), "b", APPEND);
    assertThat(Files.readString(p("log"))).isEqualTo("ab");
  }

  @Test
  void openFailures() throws Exception {
    Files.writeString(p("exists"), "x");
    assertThatThrownBy(() -> Files.writeString(p("exists"), "y", CREATE_NEW))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> Files.readString(p("missing")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.readString(p("no-dir", "missing")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void directoriesAreCreatedOnceAndDeletedWhenEmpty() throws Exception {
    Files.createDirectories(p("d", "e", "f"));
    assertThat(Files.isDirectory(p("d", "e"))).isTrue();
    assertThatThrownBy(() -> Files.createDirectory(p("d")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> Files.delete(p("d"))).isInstanceOf(DirectoryNotEmptyException.class);
    Files.delete(p("d", "e", "f"));
    assertThatThrownBy(() -> Files.delete(p("d", "e", "f")))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(Files.deleteIfExists(p("d", "e"))).isTrue();
    assertThat(Files.deleteIfExists(p("d", "e"))).isFalse();
  }

  @Test
  void listingsFilterWithGlobs() throws Exception {
    for (String n : List.of("x.txt", "y.txt", "z.bin")) {
      Files.writeString(p(n), n);
    }
    Files.createDirectory(p("sub"));
    assertThat(list(base(), "*")).containsExactlyInAnyOrder("x.txt", "y.txt", "z.bin", "sub");
    assertThat(list(base(), "*.txt")).containsExactlyInAnyOrder("x.txt", "y.txt");
    assertThat(list(base(), "{z,s}*")).containsExactlyInAnyOrder("z.bin", "sub");
    try (Stream<Path> walk = Files.walk(base())) {
      assertThat(walk.count()).isEqualTo(5);
    }
  }

  @Test
  void moveRenamesAndReplacesOnlyWhenAsked() throws Exception {
    Files.writeString(p("m1"), "one");
    Files.writeString(p("m2"), "two");
    assertThatThrownBy(() -> Files.move(p("m1"), p("m2")))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.move(p("m1"), p("m2"), REPLACE_EXISTING);
    assertThat(Files.exists(p("m1"))).isFalse();
    assertThat(Files.readString(p("m2"))).isEqualTo("one");
    Files.createDirectory(p("md"));
    Files.move(p("m2"), p("md", "m3"));
    assertThat(Files.readString(p("md", "m3"))).isEqualTo("one");
    Files.move(p("md"), p("md2"));
    assertThat(Files.readString(p("md2", "m3"))).isEqualTo("one");
  }

  @Test
  void copyKeepsTheOriginalAndCopiesAttributesWhenAsked() throws Exception {
    Files.writeString(p("src"), "data");
    Files.setLastModifiedTime(p("src"), T);
    Files.copy(p("src"), p("dst"));
    assertThat(Files.readString(p("dst"))).isEqualTo("data");
    assertThat(Files.getLastModifiedTime(p("dst"))).isNotEqualTo(T);
    assertThatThrownBy(() -> Files.copy(p("src"), p("dst")))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.copy(p("src"), p("dst"), REPLACE_EXISTING, COPY_ATTRIBUTES);
    assertThat(Files.getLastModifiedTime(p("dst"))).isEqualTo(T);
    assertThat(Files.readString(p("src"))).isEqualTo("data");
  }

  @Test
  void basicAttributesReadAndSet() throws Exception {
    Files.writeString(p("attr"), "12345");
    Files.setLastModifiedTime(p("attr"), T);
    BasicFileAttributes a = Files.readAttributes(p("attr"), BasicFileAttributes.class);
    assertThat(a.lastModifiedTime()).isEqualTo(T);
    assertThat(a.size()).isEqualTo(5);
    assertThat(a.isDirectory()).isFalse();
    assertThat(a.isSymbolicLink()).isFalse();
    assertThat(a.fileKey())
        .isEqualTo(Files.readAttributes(p("attr"), BasicFileAttributes.class).fileKey());
    assertThat(Files.readAttributes(base(), BasicFileAttributes.class).isDirectory()).isTrue();
  }

  @Test
  void dosHiddenAttributeIsKept() throws Exception {
    Files.writeString(p("dos"), "d");
    Files.setAttribute(p("dos"), "dos:hidden", true);
    assertThat(Files.getAttribute(p("dos"), "dos:hidden")).isEqualTo(true);
    Files.setAttribute(p("dos"), "dos:hidden", false);
    assertThat(Files.getAttribute(p("dos"), "dos:hidden")).isEqualTo(false);
  }

  @Test
  void streamsCarryBytes() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    try (OutputStream out = Files.newOutputStream(p("s.bin"))) {
      out.write(data);
    }
    try (InputStream in = Files.newInputStream(p("s.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void pathOperationsAgreeNameByName() throws Exception {
    Path b = base();
    Path rel = b.relativize(p("a", "b", "..", "c"));
    List<String> names = new ArrayList<>();
    rel.normalize().forEach(n -> names.add(n.toString()));
    assertThat(names).containsExactly("a", "c");
    assertThat(b.resolve(rel).normalize()).isEqualTo(p("a", "c"));
    assertThat(p("a", "c").startsWith(b)).isTrue();
    assertThat(p("a", "c").getFileName().toString()).isEqualTo("c");
    assertThat(p("a", "c").getParent()).isEqualTo(p("a"));
    assertThat(Path.of(p("a", "c").toUri())).isEqualTo(p("a", "c"));
  }

  @Test
  void fileStoreReportsSpace() throws Exception {
    FileStore store = Files.getFileStore(base());
    assertThat(store.getTotalSpace()).isPositive();
    assertThat(store.getUsableSpace()).isPositive().isLessThanOrEqualTo(store.getTotalSpace());
    assertThat(store.supportsFileAttributeView("basic")).isTrue();
  }

  @Test
  void watchServiceReportsACreatedFile() throws Exception {
    try (WatchService ws = base().getFileSystem().newWatchService()) {
      base().register(ws, ENTRY_CREATE);
      afterWatchRegistered();
      Files.writeString(p("w.txt"), "w");
      WatchKey k = ws.poll(10, TimeUnit.SECONDS);
      assertThat(k).isNotNull();
      List<String> seen = new ArrayList<>();
      for (WatchEvent<?> e : k.pollEvents()) {
        seen.add(e.kind().name() + " " + e.context());
      }
      assertThat(seen).contains("ENTRY_CREATE w.txt");
      assertThat(k.reset()).isTrue();
    }
  }

  /** Difference: a share compares names ignoring case, as Windows does; Linux does not. */
  @Test
  void caseOfNames() throws Exception {
    Files.writeString(p("Case.txt"), "c");
    assertThat(Files.exists(p("CASE.TXT"))).isEqualTo(caps().caseInsensitive());
    if (caps().caseInsensitive()) {
      assertThatThrownBy(() -> Files.writeString(p("case.TXT"), "d", CREATE_NEW))
          .isInstanceOf(FileAlreadyExistsException.class);
      assertThat(p("a.txt")).isEqualTo(p("A.TXT"));
    } else {
      Files.writeString(p("case.TXT"), "d", CREATE_NEW);
      assertThat(p("a.txt")).isNotEqualTo(p("A.TXT"));
    }
    assertThat(list(base(), "case.*")).hasSize(1);
    assertThat(list(base(), "*")).contains("Case.txt");
  }

  /** Difference: a share refuses the characters Windows forbids in names; Linux takes them. */
  @Test
  void forbiddenCharacters() throws Exception {
    if (caps().windowsNames()) {
      assertThatThrownBy(() -> p("a:b")).isInstanceOf(InvalidPathException.class);
      assertThatThrownBy(() -> p("a?b")).isInstanceOf(InvalidPathException.class);
    } else {
      Files.writeString(p("a:b"), "x");
      assertThat(Files.exists(p("a:b"))).isTrue();
    }
  }

  /**
   * Difference: on Linux a deleted file's name goes at once, even while open; on a share the delete
   * is pending until the last handle closes, and the name cannot be opened meanwhile.
   */
  @Test
  void deletingAnOpenFile() throws Exception {
    Files.writeString(p("open.txt"), "o");
    try (FileChannel ch = FileChannel.open(p("open.txt"), READ)) {
      Files.delete(p("open.txt"));
      assertThat(Files.exists(p("open.txt"))).isFalse();
      assertThat(list(base(), "open.txt")).hasSize(caps().deletePendingWhileOpen() ? 1 : 0);
      assertThat(ch.read(ByteBuffer.allocate(1), 0)).isEqualTo(1);
      if (caps().deletePendingWhileOpen()) {
        assertThatThrownBy(() -> Files.writeString(p("open.txt"), "n", CREATE_NEW))
            .isInstanceOf(FileAlreadyExistsException.class);
      } else {
        Files.writeString(p("open.txt"), "n", CREATE_NEW);
      }
    }
    assertThat(list(base(), "open.txt")).hasSize(caps().deletePendingWhileOpen() ? 0 : 1);
  }

  /**
   * Difference: the JDK refuses an overlapping lock from a second channel of the same JVM with
   * OverlappingFileLockException; on a share the server decides, as for any other client, and locks
   * are mandatory, so the other channel cannot write the locked range either.
   */
  @Test
  void locksBetweenTwoChannels() throws Exception {
    Files.writeString(p("lock"), "0123456789");
    try (FileChannel a = FileChannel.open(p("lock"), READ, WRITE);
        FileChannel b = FileChannel.open(p("lock"), READ, WRITE)) {
      FileLock l = a.lock(0, 5, false);
      assertThatThrownBy(() -> a.lock(2, 2, false))
          .isInstanceOf(OverlappingFileLockException.class);
      ByteBuffer z = ByteBuffer.wrap(new byte[] {'z'});
      if (caps().serverLocks()) {
        assertThat(b.tryLock(0, 5, false)).isNull();
        assertThatThrownBy(() -> b.write(z, 1))
            .isInstanceOf(FileSystemException.class)
            .hasMessageContaining("STATUS_FILE_LOCK_CONFLICT");
      } else {
        assertThatThrownBy(() -> b.tryLock(0, 5, false))
            .isInstanceOf(OverlappingFileLockException.class);
        assertThat(b.write(z, 1)).isEqualTo(1);
      }
      l.release();
      assertThat(b.tryLock(0, 5, false)).isNotNull();
    }
  }

  /**
   * Difference: hidden means the DOS attribute on a share, a leading dot on Linux; Samba (with
   * {@code hide dot files}, its default) reports both.
   */
  @Test
  void hiddenFiles() throws Exception {
    Files.writeString(p(".dot"), "d");
    Files.writeString(p("plain"), "p");
    Files.setAttribute(p("plain"), "dos:hidden", true);
    assertThat(Files.isHidden(p(".dot"))).isEqualTo(caps().dotFilesHidden());
    assertThat(Files.isHidden(p("plain"))).isEqualTo(caps().dosHidden());
  }

  /**
   * Difference: a read-only file on a share can be neither written nor deleted (Windows rules); on
   * Linux the root user this suite may run as writes it anyway, and anyone may delete it.
   */
  @Test
  void readOnlyFiles() throws Exception {
    Files.writeString(p("ro"), "r");
    Files.setAttribute(p("ro"), "dos:readonly", true);
    if (caps().readOnlyEnforced()) {
      assertThat(Files.isWritable(p("ro"))).isFalse();
      assertThatThrownBy(() -> Files.delete(p("ro"))).isInstanceOf(FileSystemException.class);
      Files.setAttribute(p("ro"), "dos:readonly", false);
    }
    Files.delete(p("ro"));
  }

  /** Difference: a share has no symbolic links. */
  @Test
  void symbolicLinks() throws Exception {
    Files.writeString(p("target"), "t");
    if (!caps().symbolicLinks()) {
      assertThatThrownBy(() -> Files.createSymbolicLink(p("link"), p("target")))
          .isInstanceOf(UnsupportedOperationException.class);
    } else {
      Files.createSymbolicLink(p("link"), p("target"));
      assertThat(Files.readString(p("link"))).isEqualTo("t");
    }
  }
}
