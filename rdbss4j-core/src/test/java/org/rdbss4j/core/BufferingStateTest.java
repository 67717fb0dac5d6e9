package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The buffering state a mini-redirector grants on create and changes on a break. */
class BufferingStateTest {
  private final CoreFixture fx = new CoreFixture();

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void theGrantOfTheCreateIsTheSrvOpensState() {
    fx.m.grant = Set.of(Buffering.READ, Buffering.HANDLE);
    try (FileObject f = fx.open(CoreFixture.ALICE, "granted")) {
      assertThat(f.srvOpen().buffering())
          .containsExactlyInAnyOrder(Buffering.READ, Buffering.HANDLE);
    }
    fx.m.grant = Set.of();
    try (FileObject f = fx.open(CoreFixture.BOB, "plain")) {
      assertThat(f.srvOpen().buffering()).isEmpty();
    }
  }

  @Test
  void aBreakThatCrossesTheCreateLowersTheGrant() {
    fx.m.grant = Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    fx.m.breakDuringCreate = Set.of(Buffering.READ, Buffering.HANDLE);
    try (FileObject f = fx.open(CoreFixture.ALICE, "crossed")) {
      assertThat(f.srvOpen().buffering())
          .containsExactlyInAnyOrder(Buffering.READ, Buffering.HANDLE);
    }
  }

  @Test
  void losingHandleCachingReallyClosesADeferredClose() throws Exception {
    fx.m.grant = Set.of(Buffering.READ, Buffering.HANDLE);
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvOpen s = f.srvOpen();
    f.close();
    assertThat(s.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isZero();

    s.indicateChangeOfBufferingState(Set.of(Buffering.READ)).get();

    assertThat(fx.m.count("MRxCloseSrvOpen")).as("the break closed the kept handle").isEqualTo(1);
    assertThat(s.buffering()).containsExactly(Buffering.READ);
    assertThat(f.fobx().isFreed()).isTrue();
  }

  @Test
  void aBreakThatKeepsHandleCachingKeepsTheDeferredClose() throws Exception {
    fx.m.grant = Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvOpen s = f.srvOpen();
    f.close();
    s.indicateChangeOfBufferingState(Set.of(Buffering.READ, Buffering.HANDLE))
        .get(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(s.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isZero();
  }

  @Test
  void aHandleBreakWhileAnOpenOfOursHoldsTheFcbCompletesAndClosesOnceFree() throws Exception {
    fx.m.grant = Set.of(Buffering.READ, Buffering.HANDLE);
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    SrvOpen s = f.srvOpen();
    f.close();
    assertThat(s.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    // as an open of the same file waiting for the server, which waits for this break's ack
    s.fcb().resource().lockExclusive();
    try {
      s.indicateChangeOfBufferingState(Set.of()).get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(fx.m.count("MRxCloseSrvOpen")).as("not while the FCB is held").isZero();
    } finally {
      s.fcb().resource().unlockExclusive();
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (fx.m.count("MRxCloseSrvOpen") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(fx.m.count("MRxCloseSrvOpen")).as("closed once the FCB was free").isEqualTo(1);
  }
}
