package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RDBSS.md section 13, behaviours 19 to 25: construction statuses and tree connects. */
class ConstructionConformanceTest {
  private final List<String> conditionsAtFinalize = new ArrayList<>();
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void b19_createSrvCallMustReturnAPendingFuture() {
    RecordingMiniRedirector broken =
        new RecordingMiniRedirector() {
          @Override
          public CompletableFuture<Void> createSrvCall(SrvCall srvCall) {
            return null;
          }
        };
    try (Redirector r =
        Redirector.start(RedirectorConfig.builder().miniRedirector(broken).build())) {
      assertThatThrownBy(
              () ->
                  r.create(
                      RxContext.of(CoreFixture.ALICE), "\\\\srv\\s\\f", CreateRequest.openRead("")))
          .isInstanceOf(AssertionError.class);
      r.drain();
      assertThat(r.liveNodes()).isEmpty();
    }
  }

  @Test
  void b20_winnerNotifyDecidesGoodOrBadAndFailedCallbackSkipsIt() {
    fx.use(CoreFixture.ALICE, "X:");
    SrvCall s = fx.rdr.connections().get(0).netRoot().srvCall();
    assertThat(s.condition()).isEqualTo(Condition.GOOD);
    assertThat(fx.m.count("MRxSrvCallWinnerNotify")).isEqualTo(1);
    rdr.deleteConnection(
        fx.ctx(CoreFixture.ALICE), "X:", ForceFilesClosed.FALSE, java.util.Set.of());
    rdr.drain();

    fx.m.winnerNotifyStatus = NtStatus.UNSUCCESSFUL;
    assertThat(CoreFixture.statusOf(() -> fx.use(CoreFixture.ALICE, "Y:")))
        .isEqualTo(NtStatus.UNSUCCESSFUL);
    assertThat(fx.m.count("MRxSrvCallWinnerNotify")).isEqualTo(2);
    rdr.drain();

    fx.m.winnerNotifyStatus = NtStatus.SUCCESS;
    fx.m.srvCallStatus = NtStatus.BAD_NETWORK_PATH;
    assertThat(CoreFixture.statusOf(() -> fx.use(CoreFixture.ALICE, "Z:")))
        .isEqualTo(NtStatus.BAD_NETWORK_PATH);
    assertThat(fx.m.count("MRxSrvCallWinnerNotify"))
        .as("not called after a failed callback")
        .isEqualTo(2);
    fx.m.srvCallStatus = NtStatus.SUCCESS;
  }

  @Test
  void b21_netRootAndVNetRootStatusesDecideTheConditions() {
    RecordingMiniRedirector m =
        new RecordingMiniRedirector() {
          @Override
          public void finalizeVNetRoot(VNetRoot v, boolean force) {
            conditionsAtFinalize.add(v.netRoot().condition() + "/" + v.condition());
          }
        };
    try (Redirector r = Redirector.start(RedirectorConfig.builder().miniRedirector(m).build())) {
      RxContext ctx = RxContext.of(CoreFixture.ALICE);
      m.vNetRootResult = new VNetRootResult(NtStatus.SUCCESS, NtStatus.LOGON_FAILURE);
      assertThat(
              CoreFixture.statusOf(
                  () -> r.create(ctx, "\\\\srv\\s\\f", CreateRequest.openRead(""))))
          .isEqualTo(NtStatus.LOGON_FAILURE);
      m.vNetRootResult = new VNetRootResult(NtStatus.BAD_NETWORK_NAME, NtStatus.SUCCESS);
      assertThat(
              CoreFixture.statusOf(
                  () -> r.create(ctx, "\\\\srv\\t\\f", CreateRequest.openRead(""))))
          .isEqualTo(NtStatus.BAD_NETWORK_NAME);
      assertThat(conditionsAtFinalize).containsExactly("GOOD/BAD", "BAD/BAD");
      r.drain();
      assertThat(r.liveNodes()).isEmpty();
    }
  }

  /**
   * Divergence for UNC opens: a Bad NET_ROOT is replaced by a new one so that a server that comes
   * back is reconnected (the SMB issue's reconnect rule). Through a mapped V_NET_ROOT whose
   * NET_ROOT is Bad the open fails with BAD_NETWORK_PATH as in RDBSS.
   */
  @Test
  void b23_openThroughAVNetRootWhoseNetRootIsBadFails() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    v.netRoot().updateCondition(Condition.BAD, NtStatus.NETWORK_NAME_DELETED);
    assertThat(
            CoreFixture.statusOf(
                () -> rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openRead("f"))))
        .isEqualTo(NtStatus.BAD_NETWORK_PATH);
    try (FileObject f = fx.open(CoreFixture.BOB, "f")) {
      assertThat(f.vNetRoot().netRoot()).isNotSameAs(v.netRoot());
    }
    fx.finalize(v, ForceFilesClosed.TRUE);
  }

  @Test
  void b24_firstTreeConnectTakesTheExtraReferenceOnce() {
    RxContext ctx = fx.ctx(CoreFixture.ALICE);
    TreeConnection t1 = rdr.openTreeConnect(ctx, "\\\\srv\\share", null, Credentials.none(), null);
    VNetRoot v = t1.vNetRoot();
    assertThat(v.numberOfOpens()).isEqualTo(1);
    assertThat(v.isAdditionalReferenceTaken()).isTrue();
    assertThat(v.referenceCount()).isEqualTo(3);
    TreeConnection t2 = rdr.openTreeConnect(ctx, "\\\\srv\\share", null, Credentials.none(), null);
    assertThat(t2.vNetRoot()).isSameAs(v);
    assertThat(v.isAdditionalReferenceTaken()).isTrue();
    assertThat(v.referenceCount()).isEqualTo(4);
    t1.close();
    t2.close();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b25_addConnectionLeavesTableAndExtraReference() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    assertThat(v.referenceCount()).isEqualTo(2);
    assertThat(v.numberOfOpens()).isZero();
    assertThat(rdr.prefixTable.names()).contains(v.name());
    fx.finalize(v, ForceFilesClosed.FALSE);
  }
}
