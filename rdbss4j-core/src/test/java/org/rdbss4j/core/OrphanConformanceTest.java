package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.provider.MultipleProviderRouter;
import org.rdbss4j.core.provider.NetworkProvider;
import org.rdbss4j.core.provider.RedirectorNetworkProvider;
import org.rdbss4j.core.provider.Win32Error;

/**
 * RDBSS.md section 13, behaviours 48 to 60: orphaned handles, finalization routines, and the
 * user-mode path of {@code net use /delete}.
 */
class OrphanConformanceTest {
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void b48_orphanedHandleFailsWithUnexpectedNetworkErrorAndClosesCleanly() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    f.write(0, ByteBuffer.wrap("dirty".getBytes()));
    assertThat(fx.finalize(v, ForceFilesClosed.TRUE).status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(fx.m.count("MRxFlush")).as("data flushed before orphaning").isEqualTo(1);
    assertThat(CoreFixture.statusOf(() -> f.read(0, ByteBuffer.allocate(4))))
        .isEqualTo(NtStatus.UNEXPECTED_NETWORK_ERROR);
    assertThat(CoreFixture.statusOf(() -> f.write(0, ByteBuffer.allocate(4))))
        .isEqualTo(NtStatus.UNEXPECTED_NETWORK_ERROR);
    assertThat(CoreFixture.statusOf(f::queryInformation))
        .isEqualTo(NtStatus.UNEXPECTED_NETWORK_ERROR);
    f.close();
  }

  @Test
  void b49_cleanupOfAnOrphanOnlyAdjustsCounts() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    fx.finalize(v, ForceFilesClosed.TRUE);
    int closes = fx.m.count("MRxCloseSrvOpen");
    rdr.cleanup(fx.ctx(CoreFixture.ALICE), f);
    assertThat(f.fcb().uncleanCount()).isZero();
    assertThat(f.srvOpen().uncleanFobxCount()).isZero();
    assertThat(fx.m.count("MRxCleanupFobx")).isEqualTo(1);
    rdr.close(fx.ctx(CoreFixture.ALICE), f);
    assertThat(fx.m.count("MRxCloseSrvOpen")).as("server handle closed once").isEqualTo(closes);
  }

  @Test
  void forcedFinalizationReportsDataItCouldNotFlush() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    fx.m.flushStatus = NtStatus.DISK_FULL;
    FinalizeResult r = fx.finalize(v, ForceFilesClosed.TRUE);
    assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(r.unflushed()).hasSize(1);
    assertThat(r.unflushed().get(0).path()).isEqualTo("f");
    assertThat(r.unflushed().get(0).status()).isEqualTo(NtStatus.DISK_FULL);
    fx.m.flushStatus = NtStatus.SUCCESS;
    f.close();
  }

  @Test
  void aRequestCancelledBeforeItReachesTheMiniRedirectorCompletesWithCancelled() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject d = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    // the forced deletion cancels the request and closes its handle before the mini-redirector
    // sees the request, which then fails because the handle is gone
    fx.m.onNotify = c -> fx.finalize(v, ForceFilesClosed.TRUE);
    fx.m.notifyStatus = NtStatus.UNEXPECTED_NETWORK_ERROR;
    assertThat(
            CoreFixture.statusOf(
                () -> rdr.notifyChangeDirectory(fx.ctx(CoreFixture.ALICE), d, false)))
        .isEqualTo(NtStatus.CANCELLED);
    fx.m.notifyStatus = null;
    fx.m.onNotify = c -> {};
    d.close();
  }

  @Test
  void forcedFinalizationCancelsEveryOutstandingRequest() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject d = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    List<RxContext> ctxs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RxContext c = fx.ctx(CoreFixture.ALICE);
      AtomicReference<Throwable> o = new AtomicReference<>();
      threads.add(fx.pendingNotify(d, c, o));
      ctxs.add(c);
      outcomes.add(o);
    }
    assertThat(v.outstandingRequests()).hasSize(3);
    fx.finalize(v, ForceFilesClosed.TRUE);
    for (Thread t : threads) {
      t.join(5000);
    }
    for (AtomicReference<Throwable> o : outcomes) {
      assertThat(((RxException) o.get()).status()).isEqualTo(NtStatus.CANCELLED);
    }
    assertThat(v.outstandingRequests()).isEmpty();
    d.close();
  }

  @Test
  void b50_srvCallFinalizationDefersTheTransportCloseToAWorker() throws Exception {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    SrvCall s = v.netRoot().srvCall();
    fx.finalize(v, ForceFilesClosed.FALSE);
    assertThat(s.isDormant()).as("transport kept for reuse").isTrue();
    assertThat(fx.m.count("MRxFinalizeSrvCall")).isZero();
    rdr.prefixTable.lock().lockExclusive();
    try {
      assertThat(rdr.refs.dereferenceFromScavenger(s)).isTrue();
      assertThat(rdr.prefixTable.names()).doesNotContain(s.name());
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
    rdr.drain();
    assertThat(fx.m.count("MRxFinalizeSrvCall")).isEqualTo(1);
    assertThat(s.isFreed()).isTrue();
  }

  @Test
  void b51_netRootFinalizationInProgressIsNotRepeated() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    NetRoot n = v.netRoot();
    rdr.prefixTable.lock().lockExclusive();
    try {
      n.finalizationInProgress = true;
      assertThat(rdr.finalization.finalizeNetRoot(n, true, true)).isFalse();
      assertThat(n.isFreed()).isFalse();
      n.finalizationInProgress = false;
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b52_secondFinalizeVNetRootDoesNothingNew() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    rdr.prefixTable.lock().lockExclusive();
    try {
      rdr.finalization.finalizeVNetRoot(v, false, true);
      int version = rdr.prefixTable.version();
      rdr.finalization.finalizeVNetRoot(v, false, true);
      assertThat(rdr.prefixTable.version()).isEqualTo(version);
      assertThat(fx.m.count("MRxFinalizeNetRoot")).isEqualTo(1);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
    fx.finalize(v, ForceFilesClosed.FALSE);
    v.additionalReferenceTaken = false;
    rdr.prefixTable.lock().lockExclusive();
    try {
      rdr.refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b53_finalizingTheDefaultVNetRootMovesTheDefault() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, "X:");
    a.netRoot().defaultVNetRoot = a;
    fx.finalize(a, ForceFilesClosed.FALSE);
    assertThat(b.netRoot().defaultVNetRoot()).isSameAs(b);
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  @Test
  void b54_cleanupCancelsTheHandlesOwnNotify() throws Exception {
    FileObject d = fx.openDir(CoreFixture.ALICE, "d");
    AtomicReference<Throwable> o = new AtomicReference<>();
    Thread t = fx.pendingNotify(d, fx.ctx(CoreFixture.ALICE), o);
    d.close();
    t.join(5000);
    assertThat(((RxException) o.get()).status()).isEqualTo(NtStatus.CANCELLED);
  }

  @Test
  void b55_routerStopsAtOpenFilesAndOtherwiseReturnsTheLastAnswer() {
    List<String> asked = new ArrayList<>();
    NetworkProvider open = provider("a", NetworkProvider.WN_OPEN_FILES, asked);
    NetworkProvider never = provider("b", NetworkProvider.WN_SUCCESS, asked);
    MultipleProviderRouter mpr = new MultipleProviderRouter(List.of(open, never), d -> {});
    assertThat(mpr.cancelConnection2("X:", false, false)).isEqualTo(2401);
    assertThat(asked).containsExactly("a");
    asked.clear();
    MultipleProviderRouter mpr2 =
        new MultipleProviderRouter(
            List.of(
                provider("c", NetworkProvider.WN_DEVICE_IN_USE, asked),
                provider("d", NetworkProvider.WN_NOT_CONNECTED, asked)),
            d -> {});
    assertThat(mpr2.cancelConnection2("X:", false, false)).isEqualTo(2250);
    assertThat(asked).containsExactly("c", "d");
  }

  @Test
  void b56_statusesMapTo2401And2404() {
    assertThat(Win32Error.fromNtStatus(NtStatus.FILES_OPEN).code()).isEqualTo(2401);
    assertThat(Win32Error.fromNtStatus(NtStatus.CONNECTION_IN_USE).code()).isEqualTo(2404);
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    NetworkProvider p = new RedirectorNetworkProvider(rdr, CoreFixture.ALICE);
    assertThat(p.cancelConnection("X:", false)).isEqualTo(2401);
    f.close();
    FileObject d = rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openDirectory("d"));
    assertThat(p.cancelConnection("X:", false)).isEqualTo(2404);
    d.close();
    assertThat(p.cancelConnection("X:", false)).isEqualTo(0);
  }

  @Test
  void b57_updateProfileRemovesTheDeviceEvenWhenProvidersFail() {
    List<String> removed = new ArrayList<>();
    MultipleProviderRouter mpr =
        new MultipleProviderRouter(
            List.of(provider("a", NetworkProvider.WN_NOT_CONNECTED, new ArrayList<>())),
            removed::add);
    assertThat(mpr.cancelConnection2("x:", true, false)).isEqualTo(2250);
    assertThat(removed).containsExactly("X:");
  }

  @Test
  void b58_unknownDriveIsNotConnectedAndSendsNoDelete() {
    NetworkProvider p = new RedirectorNetworkProvider(rdr, CoreFixture.ALICE);
    int before = fx.m.calls.size();
    assertThat(p.cancelConnection("Q:", true)).isEqualTo(NetworkProvider.WN_NOT_CONNECTED);
    assertThat(p.cancelConnection("Q:", false)).isEqualTo(NetworkProvider.WN_NOT_CONNECTED);
    assertThat(fx.m.calls.size()).isEqualTo(before);
  }

  /**
   * Divergence (part A): rdbss4j's delete handler does not refuse with REDIRECTOR_HAS_OPEN_HANDLES
   * because some other connection has an active FCB; only the connection's own use counts.
   */
  @Test
  void b59_divergence_otherConnectionsFcbsDoNotBlockADelete() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, "Y:");
    FileObject f = rdr.create(fx.ctx(CoreFixture.BOB), b, CreateRequest.openReadWrite("f"));
    assertThat(
            rdr.deleteConnection(fx.ctx(CoreFixture.ALICE), "X:", ForceFilesClosed.FALSE, Set.of())
                .status())
        .isEqualTo(NtStatus.SUCCESS);
    assertThat(a.isFreed()).isTrue();
    f.close();
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  @Test
  void b60_deleteOfANameThatIsNotAConnectionFailsWithoutFinalizing() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    assertThat(
            CoreFixture.statusOf(
                () ->
                    rdr.deleteConnection(
                        fx.ctx(CoreFixture.ALICE),
                        "\\\\srv\\other",
                        ForceFilesClosed.TRUE,
                        Set.of())))
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(
            CoreFixture.statusOf(
                () ->
                    rdr.deleteConnection(
                        fx.ctx(CoreFixture.BOB), "X:", ForceFilesClosed.TRUE, Set.of())))
        .as("another identity's device is not a connection of this caller")
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThatThrownBy(
            () ->
                rdr.deleteConnection(
                    fx.ctx(CoreFixture.ALICE), "garbage\u0000", ForceFilesClosed.TRUE, Set.of()))
        .isInstanceOf(RxException.class);
    assertThat(v.isFreed()).isFalse();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  private static NetworkProvider provider(String name, int answer, List<String> asked) {
    return new NetworkProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int cancelConnection(String n, boolean force) {
        asked.add(name);
        return answer;
      }
    };
  }
}
