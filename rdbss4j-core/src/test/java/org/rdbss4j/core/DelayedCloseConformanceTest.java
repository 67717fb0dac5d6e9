package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RDBSS.md section 13, behaviours 42 to 47: delayed close, collapsing and the scavenger. */
class DelayedCloseConformanceTest {
  private CoreFixture fx = new CoreFixture();

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void b42_lastCloseOfACollapsibleFileIsDelayed() {
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvCall srv = f.vNetRoot().netRoot().srvCall();
    int before = srv.numberOfCloseDelayedFiles();
    f.close();
    assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isZero();
    assertThat(srv.numberOfCloseDelayedFiles()).isEqualTo(before + 1);
  }

  @Test
  void b43_noDelayedCloseWhenTheCapIsZero() {
    fx.close();
    fx = new CoreFixture(RedirectorConfig.builder().maxCloseDelayedFiles(0));
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    f.close();
    assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isFalse();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isEqualTo(1);
  }

  @Test
  void b44_identicalReopenCollapsesOntoTheDelayedSrvOpen() {
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvOpen s = f.srvOpen();
    f.close();
    SrvCall srv = s.vNetRoot().netRoot().srvCall();
    int delayed = srv.numberOfCloseDelayedFiles();
    try (FileObject g = fx.open(CoreFixture.ALICE, "F")) {
      assertThat(g.srvOpen()).isSameAs(s);
      assertThat(fx.m.count("MRxCollapseOpen")).isEqualTo(1);
      assertThat(fx.m.count("MRxCreate")).isEqualTo(1);
      assertThat(s.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isFalse();
      assertThat(srv.numberOfCloseDelayedFiles()).isEqualTo(delayed - 1);
      assertThat(f.fobx().isFreed()).as("the dormant FOBX is finalized at once").isTrue();
      assertThat(fx.rdr.scavenger().delayedCloseCount()).isZero();
    }
  }

  @Test
  void b45_noCollapsingOrDelayForDeleteOnCloseOtherVNetRootOrDirectory() {
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvOpen s = f.srvOpen();
    f.close();
    try (FileObject other = fx.open(CoreFixture.BOB, "f")) {
      assertThat(other.srvOpen()).isNotSameAs(s);
    }
    FileObject d = fx.openDir(CoreFixture.ALICE, "d");
    d.close();
    assertThat(d.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isFalse();
    FileObject doc =
        fx.rdr.create(
            fx.ctx(CoreFixture.ALICE),
            "\\\\srv\\share\\tmp",
            CreateRequest.openReadWrite("")
                .withOptions(FileAccess.FILE_DELETE_ON_CLOSE | FileAccess.FILE_NON_DIRECTORY_FILE));
    doc.close();
    assertThat(doc.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isFalse();
    assertThat(doc.srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).isTrue();
  }

  @Test
  void b46_dormantFileCapPurgesTheOldest() {
    fx.close();
    fx = new CoreFixture(RedirectorConfig.builder().maxDormantFiles(3).maxCloseDelayedFiles(100));
    List<FileObject> closed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      FileObject f = fx.open(CoreFixture.ALICE, "f" + i);
      f.close();
      closed.add(f);
    }
    assertThat(fx.rdr.scavenger().delayedCloseCount()).isEqualTo(3);
    assertThat(closed.get(0).srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).as("oldest purged").isTrue();
    assertThat(closed.get(3).srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
  }

  @Test
  void b47_timerGoesActiveThenDormantOrInactive() throws Exception {
    fx.close();
    fx = new CoreFixture(RedirectorConfig.builder().scavengerTimeout(Duration.ofMillis(100)));
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    f.close();
    assertThat(fx.rdr.scavenger().state()).isEqualTo(Scavenger.State.DORMANT);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!f.fobx().isFreed() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(f.fobx().isFreed()).as("the scavenger really closed the delayed close").isTrue();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isEqualTo(1);
    List<Scavenger.State> seen = fx.rdr.scavenger().transitions();
    assertThat(seen).containsSubsequence(Scavenger.State.DORMANT, Scavenger.State.ACTIVE);
    while (fx.rdr.scavenger().state() != Scavenger.State.INACTIVE && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(fx.rdr.scavenger().state())
        .as("idle connection and transport finalized in turn, then nothing pending")
        .isEqualTo(Scavenger.State.INACTIVE);
    assertThat(fx.rdr.liveNodes()).isEmpty();
  }

  @Test
  void sharingViolationWithDelayedClosePurgesAndRetries() {
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    f.close();
    fx.m.exclusiveSharing = true;
    try (FileObject g =
        fx.rdr.create(
            fx.ctx(CoreFixture.BOB),
            "\\\\srv\\share\\f",
            CreateRequest.openReadWrite("").withShareAccess(0))) {
      assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).isTrue();
      assertThat(g.srvOpen()).isNotSameAs(f.srvOpen());
    }
    fx.m.exclusiveSharing = false;
  }
}
