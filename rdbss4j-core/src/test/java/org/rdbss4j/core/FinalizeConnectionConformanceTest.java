package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RDBSS.md section 13, behaviours 26 to 41, and part A's decisions on RxFinalizeConnection. Where
 * part A departs from ReactOS the test is named {@code divergence} and says why.
 */
class FinalizeConnectionConformanceTest {
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  private boolean resolves(VNetRoot v) {
    rdr.prefixTable.lock().lockShared();
    try {
      PrefixTable.Lookup l = rdr.prefixTable.lookup(v.name(), v.logonId());
      return l != null && l.node() == v;
    } finally {
      rdr.prefixTable.lock().unlockShared();
    }
  }

  @Test
  void b26_idleConnectionFalseSucceedsAndFinalizes() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(v.isConnectionFinalizationDone()).isTrue();
    assertThat(v.isAdditionalReferenceTaken()).isFalse();
    assertThat(v.isFreed()).isTrue();
    assertThat(resolves(v)).isFalse();
  }

  @Test
  void b27_openFileFalseIsFilesOpenAndChangesNothing() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    try (FileObject f =
        rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"))) {
      int refs = v.referenceCount();
      assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.FILES_OPEN);
      assertThat(v.isAdditionalReferenceTaken()).isTrue();
      assertThat(v.isConnectionFinalizationDone()).isFalse();
      assertThat(v.referenceCount()).isEqualTo(refs);
      assertThat(f.fcb().isFreed()).isFalse();
      assertThat(f.read(0, java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    }
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b28_openFileLazyIsFilesOpenButDropsTheExtraReference() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    int refs = v.referenceCount();
    assertThat(fx.finalize(v, ForceFilesClosed.LAZY).status()).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(v.isAdditionalReferenceTaken()).isFalse();
    assertThat(v.referenceCount()).isEqualTo(refs - 1);
    assertThat(resolves(v)).as("still usable").isTrue();
    f.write(0, java.nio.ByteBuffer.wrap(new byte[] {1}));
    f.close();
    assertThat(v.isFreed()).as("finalized when its last handle closed").isTrue();
  }

  @Test
  void b29_forcedFinalizationSucceedsAndRemovesTheNameAtOnce() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    assertThat(fx.finalize(v, ForceFilesClosed.TRUE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(resolves(v)).isFalse();
    assertThat(v.netRoot().vNetRoots()).doesNotContain(v);
    assertThat(fx.m.count("MRxFinalizeVNetRoot")).as("not while the handle is open").isZero();
    f.close();
    assertThat(fx.m.count("MRxFinalizeVNetRoot")).isEqualTo(1);
  }

  @Test
  void b30_forcingTheOnlyVNetRootRemovesTheNetRootName() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    fx.finalize(v, ForceFilesClosed.TRUE);
    assertThat(rdr.prefixTable.names()).doesNotContain(v.netRoot().name());
    assertThat(fx.m.count("MRxFinalizeNetRoot")).isEqualTo(1);
    f.close();
  }

  /**
   * Divergence (part A, decision 2): a pending notify is a request in use, so FALSE fails; but on
   * an open directory it is CONNECTION_IN_USE, not ReactOS's FILES_OPEN, and the check happens
   * under the locks rather than before them. Nothing is cancelled and the extra reference is kept.
   */
  @Test
  void b31_divergence_pendingNotifyMakesFalseFailWithConnectionInUse() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject dir = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = fx.pendingNotify(dir, fx.ctx(CoreFixture.ALICE), outcome);
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status())
        .isEqualTo(NtStatus.CONNECTION_IN_USE);
    assertThat(fx.m.count("MRxCancelRoutine")).isZero();
    assertThat(v.isAdditionalReferenceTaken()).isTrue();
    dir.close();
    t.join(5000);
    assertThat(((RxException) outcome.get()).status()).isEqualTo(NtStatus.CANCELLED);
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b32_forcedFinalizationCancelsAPendingNotifyOnce() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject dir = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    RxContext notifyCtx = fx.ctx(CoreFixture.ALICE);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = fx.pendingNotify(dir, notifyCtx, outcome);
    assertThat(fx.finalize(v, ForceFilesClosed.TRUE).status()).isEqualTo(NtStatus.SUCCESS);
    t.join(5000);
    assertThat(notifyCtx.isCancelled()).isTrue();
    assertThat(v.outstandingRequests()).doesNotContain(notifyCtx);
    assertThat(fx.m.count("MRxCancelRoutine")).isEqualTo(1);
    assertThat(((RxException) outcome.get()).status()).isEqualTo(NtStatus.CANCELLED);
    dir.close();
  }

  /**
   * Divergence (part A, decision 4): 0xFF acts as FALSE, so a pending notify keeps the connection
   * in use (CONNECTION_IN_USE) and is not cancelled; the extra reference is dropped.
   */
  @Test
  void b33_divergence_lazyNeitherCancelsNorIgnoresANotify() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject dir = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = fx.pendingNotify(dir, fx.ctx(CoreFixture.ALICE), outcome);
    assertThat(fx.finalize(v, ForceFilesClosed.LAZY).status())
        .isEqualTo(NtStatus.CONNECTION_IN_USE);
    assertThat(fx.m.count("MRxCancelRoutine")).isZero();
    assertThat(v.isAdditionalReferenceTaken()).isFalse();
    dir.close();
    t.join(5000);
    assertThat(v.isFreed()).isTrue();
  }

  @Test
  void b34_notifyOfAnotherVNetRootIsNeverTouched() throws Exception {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, "X:");
    FileObject dir = rdr.create(fx.ctx(CoreFixture.BOB), b, CreateRequest.openDirectory("d"));
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = fx.pendingNotify(dir, fx.ctx(CoreFixture.BOB), outcome);
    for (ForceFilesClosed f : ForceFilesClosed.values()) {
      VNetRoot x = f == ForceFilesClosed.FALSE ? a : fx.use(CoreFixture.ALICE, "X:");
      assertThat(fx.finalize(x, f).status()).isEqualTo(NtStatus.SUCCESS);
    }
    assertThat(fx.m.count("MRxCancelRoutine")).isZero();
    assertThat(t.isAlive()).isTrue();
    dir.close();
    t.join(5000);
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  @Test
  void b35_delayedCloseIsPurgedByFalse() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    f.close();
    assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    assertThat(v.numberOfFobxs()).isEqualTo(1);
    assertThat(fx.m.count("MRxCloseSrvOpen")).isZero();
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(fx.m.count("MRxCloseSrvOpen")).isEqualTo(1);
    assertThat(v.numberOfFobxs()).isZero();
    assertThat(f.fcb().isFreed()).isTrue();
  }

  @Test
  void b36_uncleanFcbOfAnotherVNetRootIsNotCountedOrPurged() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.BOB), b, CreateRequest.openReadWrite("f"));
    assertThat(fx.finalize(a, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(f.fcb().isFreed()).isFalse();
    assertThat(f.read(0, java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    f.close();
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  @Test
  void b37_secondFinalizationIsHarmless() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    rdr.refs.reference(v);
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    int refs = v.referenceCount();
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(v.referenceCount()).isEqualTo(refs);
    rdr.connections.release(v);
    assertThat(v.isFreed()).isTrue();
  }

  /**
   * Divergence (part A, decisions 5 and 6): rdbss4j's RxFinalizeConnection runs for a request
   * context, so CANCELLED (a cancelled delete) and LOCK_NOT_GRANTED (a delete that may not wait
   * while the tables are busy) are reachable, both changing nothing. Forced calls otherwise always
   * succeed.
   */
  @Test
  void b38_divergence_cancelledAndLockNotGrantedAreReachableAndChangeNothing() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    RxContext cancelled = fx.ctx(CoreFixture.ALICE);
    cancelled.cancel();
    assertThat(
            rdr.finalizeConnection(cancelled, v.netRoot(), v, ForceFilesClosed.TRUE, Set.of())
                .status())
        .isEqualTo(NtStatus.CANCELLED);
    assertThat(resolves(v)).isTrue();
    Thread holder =
        Thread.ofVirtual()
            .start(
                () -> {
                  rdr.prefixTable.lock().lockShared();
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    rdr.prefixTable.lock().unlockShared();
                  }
                });
    Thread.sleep(50);
    RxContext noWait = RxContext.noWait(CoreFixture.ALICE);
    assertThat(
            rdr.finalizeConnection(noWait, v.netRoot(), v, ForceFilesClosed.TRUE, Set.of())
                .status())
        .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    RxContext waiting = fx.ctx(CoreFixture.ALICE);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              waiting.cancel();
            });
    assertThat(
            rdr.finalizeConnection(waiting, v.netRoot(), v, ForceFilesClosed.TRUE, Set.of())
                .status())
        .as("cancelled while waiting for the table")
        .isEqualTo(NtStatus.CANCELLED);
    holder.join();
    assertThat(resolves(v)).isTrue();
    assertThat(v.isAdditionalReferenceTaken()).isTrue();
    assertThat(fx.finalize(v, ForceFilesClosed.TRUE).status()).isEqualTo(NtStatus.SUCCESS);
  }

  /**
   * Divergence (part A, decision 1): ForceFilesClosed is closed; 2 or 0xFFFFFFFF from an untyped
   * edge is INVALID_PARAMETER and changes nothing, where ReactOS treats it as FALSE.
   */
  @Test
  void b39_divergence_unknownForceValuesAreInvalidParameter() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    for (long bad : new long[] {2, 0xFFFFFFFFL, -1, 0x100}) {
      assertThat(rdr.finalizeConnection(fx.ctx(CoreFixture.ALICE), v.netRoot(), v, bad).status())
          .isEqualTo(NtStatus.INVALID_PARAMETER);
    }
    assertThat(resolves(v)).isTrue();
    assertThat(rdr.finalizeConnection(fx.ctx(CoreFixture.ALICE), v.netRoot(), v, 0xFF).status())
        .isEqualTo(NtStatus.SUCCESS);
  }

  @Test
  void b40_locksAreReleasedAndNetRootCountRestored() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, "X:");
    NetRoot n = a.netRoot();
    int before = n.referenceCount();
    assertThat(fx.finalize(a, ForceFilesClosed.TRUE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(rdr.prefixTable.lock().isHeld()).isFalse();
    assertThat(n.fcbTable().lock().isHeld()).isFalse();
    assertThat(LockOrder.holdsAny()).isFalse();
    assertThat(n.referenceCount())
        .as("less the finalized V_NET_ROOT's reference")
        .isEqualTo(before - 1);
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  /**
   * Divergence (part A, decision 9): the walk covers the root directory too; an open root handle is
   * an open directory, so FALSE fails with CONNECTION_IN_USE (ReactOS: FILES_OPEN through its FOBX
   * count).
   */
  @Test
  void b41_divergence_openRootDirectoryKeepsTheConnectionInUse() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject root = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory(""));
    assertThat(root.fcb().path()).isEmpty();
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status())
        .isEqualTo(NtStatus.CONNECTION_IN_USE);
    assertThat(root.fcb().isFreed()).isFalse();
    root.close();
    assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
  }
}
