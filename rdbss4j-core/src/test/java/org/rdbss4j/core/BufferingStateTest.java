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
}
