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
}
