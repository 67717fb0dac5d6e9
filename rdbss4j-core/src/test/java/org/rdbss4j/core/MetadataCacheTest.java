package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attribute, directory and not-found caches: answered within their lifetime, dropped by
 * changes.
 */
class MetadataCacheTest {
  private final CoreFixture fx =
      new CoreFixture(RedirectorConfig.builder().metadataCacheLifetime(Duration.ofMinutes(5)));
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void attributesAreAnsweredFromTheCacheUntilOurOwnWrite() {
    try (FileObject f = fx.open(CoreFixture.ALICE, "a.txt")) {
      f.queryInformation();
      f.queryInformation();
      assertThat(fx.m.count("MRxQueryFileInfo")).as("create filled the cache").isZero();
      f.write(0, ByteBuffer.wrap(new byte[10]));
      assertThat(f.queryInformation().size()).isEqualTo(10);
      assertThat(fx.m.count("MRxQueryFileInfo")).isEqualTo(1);
      f.queryInformation();
      assertThat(fx.m.count("MRxQueryFileInfo")).isEqualTo(1);
    }
    assertThat(rdr.metadataCache().hits()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void listingsAreCachedAndDroppedByACreateInTheDirectory() {
    FileObject d = fx.openDir(CoreFixture.ALICE, "d");
    d.queryDirectory("*");
    d.queryDirectory("*");
    assertThat(fx.m.count("MRxQueryDirectory")).isEqualTo(1);
    fx.m.missing.clear();
    FileObject created =
        rdr.create(
            fx.ctx(CoreFixture.ALICE),
            "\\\\srv\\share\\d\\new.txt",
            CreateRequest.openReadWrite("").withDisposition(FileAccess.FILE_CREATE));
    created.write(0, ByteBuffer.wrap(new byte[1]));
    created.close();
    d.queryDirectory("*");
    assertThat(fx.m.count("MRxQueryDirectory")).isEqualTo(2);
    d.close();
  }

  @Test
  void missingNamesAreRememberedUntilCreatedByUs() {
    fx.m.missing.add("GONE.TXT");
    CreateRequest open = CreateRequest.openRead("");
    for (int i = 0; i < 3; i++) {
      assertThat(
              CoreFixture.statusOf(
                  () -> rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\gone.txt", open)))
          .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    }
    assertThat(fx.m.count("MRxCreate")).as("asked the server once").isEqualTo(1);
    fx.m.missing.clear();
    FileObject made =
        rdr.create(
            fx.ctx(CoreFixture.ALICE),
            "\\\\srv\\share\\gone.txt",
            CreateRequest.openReadWrite("").withDisposition(FileAccess.FILE_CREATE));
    made.close();
    try (FileObject again =
        rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\gone.txt", open)) {
      assertThat(again.fcb().path()).isEqualTo("gone.txt");
    }
  }

  @Test
  void aChangeNotificationDropsTheNamedEntry() throws Exception {
    FileObject d = fx.openDir(CoreFixture.ALICE, "d");
    d.queryDirectory("*");
    RxContext ctx = fx.ctx(CoreFixture.ALICE);
    Thread t = Thread.ofVirtual().start(() -> rdr.notifyChangeDirectory(ctx, d, false));
    while (fx.m.pendingNotifies.isEmpty()) {
      Thread.sleep(1);
    }
    fx.m.pendingNotifies.get(0).complete(List.of(new ChangeEvent(ChangeEvent.Action.ADDED, "x")));
    t.join(5000);
    d.queryDirectory("*");
    assertThat(fx.m.count("MRxQueryDirectory")).isEqualTo(2);
    d.close();
  }

  @Test
  void onForOneSecondByDefaultAndOffWithAZeroLifetime() {
    RedirectorConfig defaults = RedirectorConfig.builder().build();
    assertThat(defaults.attributeCacheLifetime()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(defaults.directoryCacheLifetime()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(defaults.notFoundCacheLifetime()).isEqualTo(java.time.Duration.ofSeconds(1));
    try (CoreFixture plain = new CoreFixture()) {
      try (FileObject f = plain.open(CoreFixture.ALICE, "a")) {
        f.queryInformation();
      }
      assertThat(plain.rdr.metadataCache().size()).as("cached by default").isPositive();
    }
    try (CoreFixture off =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(java.time.Duration.ofHours(1))
                .metadataCacheLifetime(java.time.Duration.ZERO))) {
      try (FileObject f = off.open(CoreFixture.ALICE, "a")) {
        f.queryInformation();
        f.queryInformation();
      }
      assertThat(off.m.count("MRxQueryFileInfo")).isEqualTo(2);
      assertThat(off.rdr.metadataCache().size()).isZero();
    }
  }

  @Test
  void statByPathIsOneRoundTripThenCachedAndNeverDelaysItsClose() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    fx.m.files.put("S.TXT", new byte[3]);
    FileInfo first = rdr.queryPathInformation(fx.ctx(CoreFixture.ALICE), v, "s.txt");
    FileInfo second = rdr.queryPathInformation(fx.ctx(CoreFixture.ALICE), v, "S.TXT");
    assertThat(second).isEqualTo(first);
    assertThat(fx.m.count("MRxCreate")).isEqualTo(1);
    assertThat(fx.m.count("MRxCloseSrvOpen"))
        .as("attribute-only opens are not delayed")
        .isEqualTo(1);
    assertThat(rdr.scavenger().delayedCloseCount()).isZero();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  // ---- attributes primed by directory listings ------------------------------------------------

  /** A directory D with files A.TXT (3 bytes), B.TXT (5 bytes) and a subdirectory SUB. */
  private void tree() {
    fx.m.directories.add("D");
    fx.m.directories.add("D\\SUB");
    fx.m.files.put("D\\A.TXT", new byte[3]);
    fx.m.files.put("D\\B.TXT", new byte[5]);
  }

  /** The requests a stat can cost: opens (new or collapsed), queries and listings. */
  private int requests() {
    return fx.m.count("MRxCreate")
        + fx.m.count("MRxCollapseOpen")
        + fx.m.count("MRxQueryFileInfo")
        + fx.m.count("MRxQueryDirectory");
  }

  private FileInfo stat(VNetRoot v, String path) {
    return rdr.queryPathInformation(fx.ctx(CoreFixture.ALICE), v, path);
  }

  private void list(String dir) {
    try (FileObject d = fx.openDir(CoreFixture.ALICE, dir)) {
      d.queryDirectory("*");
    }
  }

  @Test
  void aListingAnswersTheStatsOfTheNamesItReturned() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    tree();
    fx.m.listDotEntries = true;
    try (FileObject d = fx.openDir(CoreFixture.ALICE, "d")) {
      int before = rdr.metadataCache().size();
      assertThat(d.queryDirectory("*"))
          .extracting(FileInfo::name)
          .containsExactly(".", "..", "A.TXT", "B.TXT", "SUB");
      assertThat(rdr.metadataCache().size())
          .as("the listing and its three names, not . and ..")
          .isEqualTo(before + 1 + 3);
    }
    int after = requests();
    assertThat(stat(v, "d\\a.txt").size()).isEqualTo(3);
    assertThat(stat(v, "D\\B.txt").size()).isEqualTo(5);
    assertThat(stat(v, "d\\sub").directory()).isTrue();
    assertThat(requests()).as("stats of listed names send nothing").isEqualTo(after);
    assertThat(fx.m.count("MRxQueryFileInfo")).isZero();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void anOpenOfAListedNameIsToldWhatTheListingSaid() {
    tree();
    list("d");
    try (FileObject b = fx.open(CoreFixture.ALICE, "d\\b.txt")) {
      assertThat(fx.m.knownAtCreate.getLast())
          .hasValueSatisfying(i -> assertThat(i.name()).isEqualTo("B.TXT"))
          .hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(5));
    }
    fx.m.files.put("E.TXT", new byte[1]);
    try (FileObject e = fx.open(CoreFixture.ALICE, "e.txt")) {
      assertThat(fx.m.knownAtCreate.getLast()).as("never listed").isEmpty();
    }
  }

  @Test
  void ourWriteDropsTheEntryAListingPrimed() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    tree();
    try (FileObject a = fx.open(CoreFixture.ALICE, "d\\a.txt")) {
      list("d");
      assertThat(stat(v, "d\\a.txt").size()).isEqualTo(3);
      a.write(0, ByteBuffer.wrap(new byte[7]));
      int before = requests();
      assertThat(stat(v, "d\\a.txt").size()).isEqualTo(7);
      assertThat(requests()).isGreaterThan(before);
    }
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void renamesAndDeletesDropTheEntriesAListingPrimed() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    tree();
    try (FileObject b = fx.open(CoreFixture.ALICE, "d\\b.txt");
        FileObject sub = fx.openDir(CoreFixture.ALICE, "d\\sub")) {
      list("d");
      int before = requests();
      stat(v, "d\\b.txt");
      stat(v, "d\\sub");
      assertThat(requests()).isEqualTo(before);
      b.setInformation(new SetInfo.Rename("d\\c.txt", false));
      CoreFixture.statusOf(() -> stat(v, "d\\b.txt"));
      assertThat(requests()).as("the renamed name goes to the server").isGreaterThan(before);
      before = requests();
      sub.setInformation(new SetInfo.Disposition(true));
      CoreFixture.statusOf(() -> stat(v, "d\\sub"));
      assertThat(requests()).as("the deleted name goes to the server").isGreaterThan(before);
    }
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void aChangeNotificationDropsOnlyTheEntryItNames() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    tree();
    FileObject d = fx.openDir(CoreFixture.ALICE, "d");
    d.queryDirectory("*");
    RxContext ctx = fx.ctx(CoreFixture.ALICE);
    Thread t = Thread.ofVirtual().start(() -> rdr.notifyChangeDirectory(ctx, d, false));
    while (fx.m.pendingNotifies.isEmpty()) {
      Thread.sleep(1);
    }
    fx.m.files.put("D\\A.TXT", new byte[9]);
    fx.m
        .pendingNotifies
        .get(0)
        .complete(List.of(new ChangeEvent(ChangeEvent.Action.MODIFIED, "a.txt")));
    t.join(5000);
    int before = requests();
    assertThat(stat(v, "d\\b.txt").size()).isEqualTo(5);
    assertThat(requests()).as("b.txt was not named").isEqualTo(before);
    assertThat(stat(v, "d\\a.txt").size()).as("the server's new size").isEqualTo(9);
    assertThat(requests()).isGreaterThan(before);
    d.close();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void aPrimedEntryCarriesTheSizeOfDataHeldBack() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    tree();
    fx.m.grant = java.util.Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    try (FileObject a = fx.open(CoreFixture.ALICE, "d\\a.txt")) {
      a.write(0, ByteBuffer.wrap(new byte[100]));
      assertThat(fx.m.count("MRxWrite")).as("held back").isZero();
      list("d");
      int before = requests();
      assertThat(stat(v, "d\\a.txt").size()).isEqualTo(100);
      assertThat(requests()).isEqualTo(before);
    }
    assertThat(fx.m.files.get("D\\A.TXT")).hasSize(100);
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void aPrimedEntryExpiresWithTheAttributeLifetime() throws Exception {
    try (CoreFixture shortLived =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .metadataCacheLifetime(Duration.ofMinutes(5))
                .attributeCacheLifetime(Duration.ofMillis(300)))) {
      shortLived.m.directories.add("D");
      shortLived.m.files.put("D\\A.TXT", new byte[3]);
      VNetRoot v = shortLived.use(CoreFixture.ALICE, "X:");
      try (FileObject d = shortLived.openDir(CoreFixture.ALICE, "d")) {
        d.queryDirectory("*");
      }
      long listed = System.nanoTime();
      int creates = shortLived.m.count("MRxCreate");
      shortLived.rdr.queryPathInformation(shortLived.ctx(CoreFixture.ALICE), v, "d\\a.txt");
      if (System.nanoTime() - listed < 250_000_000L) {
        assertThat(shortLived.m.count("MRxCreate")).as("fresh").isEqualTo(creates);
      }
      Thread.sleep(400);
      shortLived.rdr.queryPathInformation(shortLived.ctx(CoreFixture.ALICE), v, "d\\a.txt");
      assertThat(shortLived.m.count("MRxCreate")).as("expired").isEqualTo(creates + 1);
      shortLived.finalize(v, ForceFilesClosed.FALSE);
    }
  }

  @Test
  void aListingFromTheListingCachePrimesNothing() throws Exception {
    try (CoreFixture fixture =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .metadataCacheLifetime(Duration.ofMinutes(5))
                .attributeCacheLifetime(Duration.ofMillis(200)))) {
      fixture.m.directories.add("D");
      fixture.m.files.put("D\\A.TXT", new byte[3]);
      VNetRoot v = fixture.use(CoreFixture.ALICE, "X:");
      try (FileObject d = fixture.openDir(CoreFixture.ALICE, "d")) {
        d.queryDirectory("*");
        Thread.sleep(300);
        d.queryDirectory("*");
        assertThat(fixture.m.count("MRxQueryDirectory")).as("listing cached").isEqualTo(1);
      }
      int creates = fixture.m.count("MRxCreate");
      fixture.rdr.queryPathInformation(fixture.ctx(CoreFixture.ALICE), v, "d\\a.txt");
      assertThat(fixture.m.count("MRxCreate"))
          .as("the attributes are as old as the server's answer, not the cached listing's reuse")
          .isEqualTo(creates + 1);
      fixture.finalize(v, ForceFilesClosed.FALSE);
    }
  }
}
