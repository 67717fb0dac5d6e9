package org.rdbss4j.nio;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rdbss4j.nio.WatchEvents.eventsUntil;
import static org.rdbss4j.nio.WatchEvents.outstandingNotifies;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.testkit.Eventually;
import org.rdbss4j.testkit.SambaExtension;
import org.rdbss4j.testkit.SambaServer;
import org.rdbss4j.testkit.SmbStatus;

/**
 * The provider against Samba (the test kit's private smbd): connection sharing between users seen
 * through {@code smbstatus}, share access, the watch service over SMB2 CHANGE_NOTIFY, closing a
 * file system with channels open, and the file store of a share.
 */
class SmbProviderTest {
  @RegisterExtension static final SambaExtension SAMBA = new SambaExtension();

  private SmbRig rig;

  @BeforeEach
  void startRedirector() {
    rig = new SmbRig(SAMBA.server());
  }

  @AfterEach
  void closeAndCheckForLeaks() throws IOException {
    rig.close();
  }

  private static SambaServer samba() {
    return SAMBA.server();
  }

  private static Path onDisk(String share, String name) {
    return samba().shareDir(share).resolve(name);
  }

  @Test
  void twoUsersShareOneTcpConnectionWithTheirOwnSessions() throws Exception {
    RdbssFileSystem alice = rig.open(SambaServer.RW, SambaServer.ALICE);
    RdbssFileSystem bob = rig.open(SambaServer.RW, SambaServer.BOB);
    Files.writeString(alice.getPath("\\by-alice.txt"), "a");
    Files.writeString(bob.getPath("\\by-bob.txt"), "b");
    assertThat(Files.getOwner(onDisk(SambaServer.RW, "by-alice.txt")).getName())
        .isEqualTo(SambaServer.ALICE);
    assertThat(Files.getOwner(onDisk(SambaServer.RW, "by-bob.txt")).getName())
        .isEqualTo(SambaServer.BOB);
    assertThat(alice.vNetRoot()).isNotSameAs(bob.vNetRoot());
    assertThat(alice.vNetRoot().netRoot()).isSameAs(bob.vNetRoot().netRoot());

    SmbStatus st = samba().smbstatus();
    assertThat(st.tcpConnectionCount()).isEqualTo(1);
    assertThat(samba().establishedConnectionCount()).isEqualTo(1);
    SmbStatus.Session sa = st.sessionsOf(SambaServer.ALICE).getFirst();
    SmbStatus.Session sb = st.sessionsOf(SambaServer.BOB).getFirst();
    assertThat(st.sessionsOf(SambaServer.ALICE)).hasSize(1);
    assertThat(st.sessionsOf(SambaServer.BOB)).hasSize(1);
    assertThat(sa.sessionId()).isNotEqualTo(sb.sessionId());
    assertThat(sa.clientPort()).isEqualTo(sb.clientPort());
    assertThat(st.treeConnectsOf(sa))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
    assertThat(st.treeConnectsOf(sb))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
  }

  @Test
  void bobCannotOpenAlicesPrivateShare() throws Exception {
    RdbssFileSystem alice = rig.open(SambaServer.ALICE_SHARE, SambaServer.ALICE);
    Files.writeString(alice.getPath("\\mine.txt"), "private");
    rig.open(SambaServer.RW, SambaServer.BOB);
    assertThatThrownBy(() -> rig.open(SambaServer.ALICE_SHARE, SambaServer.BOB))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("STATUS_ACCESS_DENIED");
    assertThat(Files.readString(alice.getPath("\\mine.txt"))).isEqualTo("private");
    SmbStatus st = samba().smbstatus();
    assertThat(st.tcpConnectionCount()).isEqualTo(1);
    assertThat(st.treeConnectsOf(st.sessionsOf(SambaServer.BOB).getFirst()))
        .extracting(SmbStatus.TreeConnect::share)
        .containsExactly("rw");
  }

  @Test
  void aLockBindsAChannelOfAnotherFileSystem() throws Exception {
    RdbssFileSystem alice = rig.open(SambaServer.RW, SambaServer.ALICE);
    RdbssFileSystem bob = rig.open(SambaServer.RW, SambaServer.BOB);
    Files.writeString(alice.getPath("\\locked"), "0123456789");
    try (FileChannel a = FileChannel.open(alice.getPath("\\locked"), READ, WRITE);
        FileChannel b = FileChannel.open(bob.getPath("\\locked"), READ, WRITE)) {
      a.lock(0, 5, false);
      assertThat(b.tryLock(0, 5, false)).isNull();
      assertThatThrownBy(() -> b.write(ByteBuffer.wrap(new byte[] {'z'}), 1))
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining("STATUS_FILE_LOCK_CONFLICT");
      assertThat(b.write(ByteBuffer.wrap(new byte[] {'z'}), 6)).isEqualTo(1);
    }
    assertThat(Files.readString(onDisk(SambaServer.RW, "locked"))).isEqualTo("012345z789");
  }

  @Test
  void watchServiceReportsChangesAndCloseCancelsTheNotify() throws Exception {
    RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
    Path dir = Files.createDirectory(fs.getPath("\\watched"));
    WatchService ws = fs.newWatchService();
    WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    SmbRig.awaitSambaWatchArmed();
    Files.writeString(dir.resolve("a.txt"), "a");
    assertThat(eventsUntil(ws, "ENTRY_CREATE a.txt"::equals)).contains("ENTRY_CREATE a.txt");
    Files.writeString(dir.resolve("a.txt"), "through the share, longer");
    assertThat(eventsUntil(ws, "ENTRY_MODIFY a.txt"::equals)).contains("ENTRY_MODIFY a.txt");
    Files.delete(dir.resolve("a.txt"));
    assertThat(eventsUntil(ws, "ENTRY_DELETE a.txt"::equals)).contains("ENTRY_DELETE a.txt");
    // a change by another client: a file created on the server's disk
    Files.writeString(onDisk(SambaServer.RW, "watched").resolve("b.txt"), "on disk");
    assertThat(eventsUntil(ws, "ENTRY_CREATE b.txt"::equals)).contains("ENTRY_CREATE b.txt");

    // the on-disk write may still be reported (as a modification): let the watch settle
    Thread.sleep(500);
    while (ws.poll() != null) {
      Thread.sleep(200);
    }
    assertThat(Eventually.within(Duration.ofSeconds(5), () -> outstandingNotifies(fs).size() == 1))
        .isTrue();
    RxContext notify = outstandingNotifies(fs).getFirst();
    assertThat(samba().smbstatusReport("--notify")).contains("watched");
    ws.close();
    assertThat(notify.isCancelled()).isTrue();
    assertThat(outstandingNotifies(fs)).isEmpty();
    assertThat(key.isValid()).isFalse();
    assertThatThrownBy(ws::poll).isInstanceOf(ClosedWatchServiceException.class);
    // the server no longer has the directory open, so no notify of it is registered there
    assertThat(
            Eventually.within(
                Duration.ofSeconds(5),
                () -> !samba().smbstatusReport("--notify").contains("watched")))
        .as(() -> samba().smbstatusReport("--notify"))
        .isTrue();
    // nothing of the watch keeps the connection: a FALSE finalization succeeds
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.SUCCESS);
  }

  @Test
  void closeWithChannelsOpenOrphansThemAndFalseReportsFilesOpen() throws Exception {
    RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
    Path file = fs.getPath("\\open.txt");
    Files.writeString(file, "0123456789");
    FileChannel ch = FileChannel.open(file, READ, WRITE);
    ch.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)), 0);
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(fs.isOpen()).isTrue();
    assertThat(ch.read(ByteBuffer.allocate(1), 0)).isEqualTo(1);
    fs.close();
    assertThat(ch.isOpen()).isFalse();
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1)))
        .isInstanceOf(ClosedChannelException.class)
        .hasMessageContaining("\\\\127.0.0.1\\rw");
    assertThat(Files.readString(onDisk(SambaServer.RW, "open.txt"))).isEqualTo("ab23456789");
    assertThat(rig.rdr.connections()).isEmpty();
    assertThat(
            Eventually.within(
                Duration.ofSeconds(5),
                () ->
                    samba().smbstatus().treeConnects().stream()
                        .noneMatch(t -> "rw".equals(t.share()))))
        .as("the tree connect is gone")
        .isTrue();
    ch.close();
  }

  @Test
  void fileStoresReportTheSharesSizeAndReadOnlyFlag() throws Exception {
    FileStore rw = Files.getFileStore(rig.open(SambaServer.RW, SambaServer.ALICE).getPath("\\"));
    FileStore ro = Files.getFileStore(rig.open(SambaServer.RO, SambaServer.ALICE).getPath("\\"));
    int queries = rig.observed.volumeAttributeQueries.get();
    assertThat(rw.isReadOnly()).isFalse();
    assertThat(ro.isReadOnly()).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(rw.isReadOnly()).isFalse();
      assertThat(ro.isReadOnly()).isTrue();
    }
    // a property of each tree connect, asked of the server once per connection
    assertThat(rig.observed.volumeAttributeQueries.get() - queries).isLessThanOrEqualTo(2);
    assertThat(rw.getTotalSpace()).isPositive();
    assertThat(rw.getUsableSpace()).isPositive().isLessThanOrEqualTo(rw.getTotalSpace());
    // both shares are directories of one Linux file system
    assertThat(ro.getTotalSpace()).isEqualTo(rw.getTotalSpace());
    long disk = Files.getFileStore(samba().shareDir(SambaServer.RW)).getTotalSpace();
    assertThat(rw.getTotalSpace()).isBetween(disk / 2, disk * 2);
  }

  @Test
  void copyWithinAFileSystemIsAServerSideCopyChunk() throws Exception {
    RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
    // more than one copy-chunk request (16 MiB each) and an odd last chunk
    byte[] data = ServerSideCopyTest.random(20 * 1024 * 1024 + 4321, 9);
    Files.write(fs.getPath("\\big.bin"), data);
    int readsBefore = rig.observed.reads.get();
    Files.copy(fs.getPath("\\big.bin"), fs.getPath("\\copy.bin"));
    assertThat(rig.observed.copies.get()).isEqualTo(1);
    assertThat(rig.observed.reads.get()).as("no data through the client").isEqualTo(readsBefore);
    assertThat(Files.readAllBytes(onDisk(SambaServer.RW, "copy.bin"))).isEqualTo(data);
    assertThat(Files.getOwner(onDisk(SambaServer.RW, "copy.bin")).getName())
        .isEqualTo(SambaServer.ALICE);
  }

  @Test
  void aRangeCopyOnSambaStopsAtTheSourcesEnd() throws Exception {
    RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
    byte[] data = ServerSideCopyTest.random(3 * 1024 * 1024, 10);
    byte[] old = ServerSideCopyTest.random(100, 11);
    Files.write(fs.getPath("\\src.bin"), data);
    Files.write(fs.getPath("\\dst.bin"), old);
    RxContext ctx = RxContext.of(fs.identity());
    try (FileObject src = rig.rdr.create(ctx, fs.vNetRoot(), CreateRequest.openRead("src.bin"));
        FileObject dst =
            rig.rdr.create(ctx, fs.vNetRoot(), CreateRequest.openReadWrite("dst.bin"))) {
      assertThat(rig.rdr.copyRange(ctx, src, 1_000_000, dst, 50, 5_000_000))
          .isEqualTo(data.length - 1_000_000);
    }
    byte[] expected = new byte[50 + data.length - 1_000_000];
    System.arraycopy(old, 0, expected, 0, 50);
    System.arraycopy(data, 1_000_000, expected, 50, data.length - 1_000_000);
    assertThat(Files.readAllBytes(onDisk(SambaServer.RW, "dst.bin"))).isEqualTo(expected);
  }

  @Test
  void streamsSendSmallWritesAndReadsInLargeRequests() throws Exception {
    RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
    byte[] data = ServerSideCopyTest.random(2 * 1024 * 1024 + 17, 12);
    int writesBefore = rig.observed.writes.get();
    try (OutputStream out = Files.newOutputStream(fs.getPath("\\s.bin"))) {
      for (int off = 0; off < data.length; off += 8192) {
        out.write(data, off, Math.min(8192, data.length - off));
      }
    }
    assertThat(rig.observed.writes.get() - writesBefore).isLessThanOrEqualTo(3);
    assertThat(Files.readAllBytes(onDisk(SambaServer.RW, "s.bin"))).isEqualTo(data);
    int readsBefore = rig.observed.reads.get();
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    try (java.io.InputStream in = Files.newInputStream(fs.getPath("\\s.bin"))) {
      byte[] b = new byte[8192];
      for (int n; (n = in.read(b)) > 0; ) {
        back.write(b, 0, n);
      }
    }
    assertThat(back.toByteArray()).isEqualTo(data);
    assertThat(rig.observed.reads.get() - readsBefore).isLessThanOrEqualTo(4);
  }

  /**
   * Files.walk plus a stat of every entry: the listing of each directory answers the stats of its
   * names (the attribute cache primed by the enumeration), and the open of each directory takes its
   * information from the CREATE response, so the server sees one open, one listing and one close
   * per directory and no QUERY_INFO but the walk root's. Counted by smbd itself ({@code smbstatus
   * --profile}) and by the mini-redirector calls; then what the listings and the CREATE responses
   * reported is checked against the disk and against QUERY_INFO. A lifetime of a minute keeps the
   * counts independent of the machine's speed.
   */
  @Test
  void aWalkListsEachDirectoryOnceAndStatsNothingItListed() throws Exception {
    Path tree = onDisk(SambaServer.RW, "walked");
    int dirs = 4;
    int files = 6;
    for (int d = 0; d < dirs; d++) {
      Path dir = Files.createDirectories(tree.resolve("d" + d));
      for (int f = 0; f < files; f++) {
        Files.writeString(dir.resolve("f" + f + ".txt"), "x".repeat(d * files + f));
      }
    }
    try (SmbRig cached =
        new SmbRig(
            samba(),
            org.rdbss4j.core.RedirectorConfig.builder()
                .metadataCacheLifetime(Duration.ofMinutes(1)))) {
      RdbssFileSystem fs = cached.open(SambaServer.RW, SambaServer.ALICE);
      Path root = fs.getPath("\\walked");
      java.util.Map<String, Long> before = settledRequestCounts();
      int listings = cached.observed.listings.get();
      int queries = cached.observed.queryInfos.get();
      List<Path> walked;
      try (java.util.stream.Stream<Path> s = Files.walk(root)) {
        walked = s.toList();
      }
      java.util.Map<Path, java.nio.file.attribute.DosFileAttributes> attrs =
          new java.util.HashMap<>();
      for (Path p : walked) {
        attrs.put(p, Files.readAttributes(p, java.nio.file.attribute.DosFileAttributes.class));
        Files.readAttributes(p, "dos:size,lastModifiedTime,hidden");
      }
      java.util.Map<String, Long> walkedCounts = settledRequestCounts();
      assertThat(walked).hasSize(1 + dirs + dirs * files);
      assertThat(cached.observed.listings.get() - listings)
          .as("one listing per directory")
          .isEqualTo(1 + dirs);
      assertThat(cached.observed.queryInfos.get() - queries).as("MRxQueryFileInfo").isZero();
      assertThat(delta(before, walkedCounts, "smb2_create_count"))
          .as("the walk root's stat and one open per directory")
          .isEqualTo(1 + 1 + dirs);
      assertThat(delta(before, walkedCounts, "smb2_getinfo_count"))
          .as("QUERY_INFO only for the walk root, which no listing named")
          .isEqualTo(1);
      assertThat(delta(before, walkedCounts, "smb2_close_count")).isEqualTo(1 + 1 + dirs);
      assertThat(delta(before, walkedCounts, "smb2_find_count"))
          .as("a listing is its entries and the end of the enumeration")
          .isLessThanOrEqualTo(2L * (1 + dirs));

      // opens of listed files take their size and times from the CREATE response
      java.util.Set<Long> ids = new java.util.HashSet<>();
      for (Path p : walked) {
        Path disk = tree.resolve(root.relativize(p).toString().replace('\\', '/'));
        java.nio.file.attribute.DosFileAttributes a = attrs.get(p);
        assertThat(a.isDirectory()).as(p.toString()).isEqualTo(Files.isDirectory(disk));
        assertThat(ids.add(fileId(a))).as("file ids differ: " + p).isTrue();
        if (!a.isDirectory()) {
          assertThat(a.size()).as(p.toString()).isEqualTo(Files.size(disk));
          try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(p)) {
            assertThat(ch.size()).as("size of " + p + " once open").isEqualTo(Files.size(disk));
          }
          BasicFileAttributes opened = Files.readAttributes(p, BasicFileAttributes.class);
          assertThat(fileId(opened)).isEqualTo(fileId(a));
          assertThat(opened.lastModifiedTime()).isEqualTo(a.lastModifiedTime());
        }
      }
      assertThat(delta(walkedCounts, settledRequestCounts(), "smb2_getinfo_count"))
          .as("no QUERY_INFO for opens of listed files")
          .isZero();

      // a listing's file id is the one QUERY_INFO reports (the walk root was queried)
      long rootId = fileId(attrs.get(root));
      assertThat(fs.session().list(fs.getPath("\\")))
          .filteredOn(e -> e.name().equals("walked"))
          .singleElement()
          .satisfies(e -> assertThat(e.fileId()).isEqualTo(rootId));
    }
  }

  private static long fileId(BasicFileAttributes a) {
    return ((ShareFileAttributes.FileKey) a.fileKey()).fileId();
  }

  private static long delta(
      java.util.Map<String, Long> before, java.util.Map<String, Long> after, String counter) {
    return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
  }

  /**
   * smbd's request counters once they stopped moving: each smbd process publishes its counters
   * about a second after it last counted, so they are read until two reads a while apart agree.
   */
  private static java.util.Map<String, Long> settledRequestCounts() throws InterruptedException {
    java.util.Map<String, Long> last = samba().requestCounts();
    long stableSince = System.nanoTime();
    long deadline = stableSince + 30_000_000_000L;
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("smbd's request counters did not settle in 30 s: " + last);
      }
      Thread.sleep(400);
      java.util.Map<String, Long> now = samba().requestCounts();
      if (!now.equals(last)) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 1_500_000_000L) {
        return now;
      }
    }
  }
}
