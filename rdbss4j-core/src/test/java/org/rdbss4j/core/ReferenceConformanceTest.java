package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RDBSS.md section 13, behaviours 8 to 13 and 22: RxReference, RxDereference, scavenger marking and
 * waiting on InTransition.
 */
class ReferenceConformanceTest {
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void b08_referenceOfAnUnsupportedNodeTypeIsAnAssertion() {
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      assertThatThrownBy(() -> rdr.refs.reference(f.fcb())).isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> rdr.refs.dereference(f.fcb(), LockHoldingState.LOCK_NOT_HELD))
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void b09_dereferenceToOneUnderExclusiveLockFinalizesBothPhases() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    NetRoot n = v.netRoot();
    int netRootBefore = n.referenceCount();
    assertThat(v.referenceCount()).isEqualTo(2);
    rdr.prefixTable.lock().lockExclusive();
    try {
      v.additionalReferenceTaken = false;
      rdr.refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
    assertThat(v.isUpperFinalizationDone()).isTrue();
    assertThat(v.isFreed()).isTrue();
    assertThat(fx.m.count("MRxFinalizeVNetRoot")).isEqualTo(1);
    assertThat(netRootBefore - 1).isEqualTo(1);
    assertThat(n.isFreed()).as("NET_ROOT lost its last V_NET_ROOT reference").isTrue();
  }

  @Test
  void b10_dereferenceWithoutLockMarksForScavenger() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    NetRoot n = v.netRoot();
    rdr.refs.reference(n);
    rdr.refs.reference(n);
    assertThat(n.referenceCount()).isEqualTo(4);
    rdr.refs.dereference(n, LockHoldingState.LOCK_NOT_HELD);
    rdr.refs.dereference(n, LockHoldingState.LOCK_NOT_HELD);
    // back to 2 (table + V_NET_ROOT): not low enough to mark
    assertThat(n.isScavengerMarked()).isFalse();
    fx.finalize(v, ForceFilesClosed.FALSE);
    // a fresh NET_ROOT whose count falls to 1 without the lock is marked
    VNetRoot w = fx.use(CoreFixture.ALICE, null);
    NetRoot n2 = w.netRoot();
    rdr.refs.reference(n2);
    rdr.refs.dereference(n2, LockHoldingState.LOCK_NOT_HELD);
    assertThat(n2.isScavengerMarked()).isFalse();
    n2.refCount = 2;
    rdr.refs.dereference(n2, LockHoldingState.LOCK_NOT_HELD);
    assertThat(n2.isScavengerMarked()).isTrue();
    assertThat(n2.nodeTypeCode() & NodeType.SCAVENGER_MASK).isEqualTo(NodeType.SCAVENGER_MASK);
    assertThat(rdr.scavenger().pending(NodeType.NET_ROOT)).isEqualTo(1);
    assertThat(n2.referenceCount()).isEqualTo(2);
    assertThat(rdr.scavenger().state()).isIn(Scavenger.State.DORMANT, Scavenger.State.ACTIVE);
    rdr.refs.reference(n2);
    n2.refCount = 2;
    fx.finalize(w, ForceFilesClosed.FALSE);
  }

  @Test
  void b11_referenceOfAMarkedNodeUnmarksAndTakesOverTheScavengerReference() {
    fx.openDir(CoreFixture.ALICE, "d").close();
    VNetRoot v = fx.rdr.connections().get(0);
    assertThat(v.isScavengerMarked()).as("idle implicit connection is marked").isTrue();
    int before = v.referenceCount();
    int pending = rdr.scavenger().pending(NodeType.V_NET_ROOT);
    rdr.refs.reference(v);
    assertThat(v.isScavengerMarked()).isFalse();
    assertThat(v.referenceCount()).isEqualTo(before);
    assertThat(rdr.scavenger().pending(NodeType.V_NET_ROOT)).isEqualTo(pending - 1);
    rdr.connections.release(v);
  }

  @Test
  void b12_fobxIsMarkedOnlyWhenItsCountFallsToZero() {
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      Fobx x = f.fobx();
      rdr.refs.reference(x);
      rdr.refs.dereference(x, LockHoldingState.LOCK_NOT_HELD);
      assertThat(x.isScavengerMarked()).as("count 2 to 1").isFalse();
    }
    FileObject g = fx.open(CoreFixture.ALICE, "g");
    g.close();
    Fobx delayed = g.fobx();
    assertThat(delayed.isScavengerMarked()).as("count 1 to 0: delayed close").isTrue();
    assertThat(delayed.referenceCount()).isEqualTo(1);
  }

  @Test
  void b13_srvOpenIsNeverMarked() {
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      SrvOpen s = f.srvOpen();
      rdr.refs.reference(s);
      rdr.refs.dereference(s, LockHoldingState.LOCK_NOT_HELD);
      rdr.refs.dereference(s, LockHoldingState.LOCK_NOT_HELD);
      assertThat(s.isScavengerMarked()).isFalse();
      assertThat(s.referenceCount()).isZero();
      rdr.refs.reference(s);
    }
  }

  @Test
  void b22_waitersOnInTransitionAreReleasedAndInTransitionCannotBeSetThroughUpdate()
      throws Exception {
    fx.m.srvCallGate = new CompletableFuture<>();
    AtomicReference<Throwable> first = new AtomicReference<>();
    AtomicReference<Throwable> second = new AtomicReference<>();
    Thread a =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    fx.open(CoreFixture.ALICE, "a").close();
                  } catch (Throwable t) {
                    first.set(t);
                  }
                });
    while (fx.m.count("MRxCreateSrvCall") == 0) {
      Thread.sleep(1);
    }
    Thread b =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    fx.open(CoreFixture.BOB, "b").close();
                  } catch (Throwable t) {
                    second.set(t);
                  }
                });
    Thread.sleep(50);
    SrvCall s = (SrvCall) rdr.liveNodes().get(0);
    assertThat(s.condition()).isEqualTo(Condition.IN_TRANSITION);
    assertThat(b.isAlive()).as("second opener waits on InTransition").isTrue();
    fx.m.srvCallGate.complete(null);
    a.join(5000);
    b.join(5000);
    assertThat(first.get()).isNull();
    assertThat(second.get()).isNull();
    assertThat(s.condition()).isEqualTo(Condition.GOOD);
    assertThat(fx.m.count("MRxCreateSrvCall")).isEqualTo(1);
    assertThatThrownBy(() -> s.updateCondition(Condition.IN_TRANSITION, NtStatus.SUCCESS))
        .isInstanceOf(AssertionError.class);
  }
}
