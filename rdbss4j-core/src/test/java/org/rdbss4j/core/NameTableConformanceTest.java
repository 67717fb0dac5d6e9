package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RDBSS.md section 13, behaviours 1 to 7: the net-name table and connection construction. */
class NameTableConformanceTest {
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void b01_createSrvCallIsFoundCaseInsensitivelyWithRemainingName() {
    rdr.prefixTable.lock().lockExclusive();
    try {
      SrvCall s = rdr.connections.createSrvCall("srv", 0, fx.m);
      assertThat(s.referenceCount()).isEqualTo(1);
      assertThat(s.condition()).isEqualTo(Condition.UNINITIALIZED);
      PrefixTable.Lookup l = rdr.prefixTable.lookup("\\SRV\\share", 0);
      assertThat(l.node()).isSameAs(s);
      assertThat(l.remainingName()).isEqualTo("\\share");
      rdr.finalization.finalizeSrvCall(s, true, true);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b02_createNetRootNamesItAndReferencesTheSrvCall() {
    rdr.prefixTable.lock().lockExclusive();
    try {
      SrvCall s = rdr.connections.createSrvCall("srv", 0, fx.m);
      NetRoot n = rdr.connections.createNetRoot(s, "share", 0);
      assertThat(n.name()).isEqualTo("\\srv\\share");
      assertThat(n.referenceCount()).isEqualTo(1);
      assertThat(n.condition()).isEqualTo(Condition.UNINITIALIZED);
      assertThat(s.referenceCount()).isEqualTo(2);
      rdr.finalization.finalizeNetRoot(n, true, true);
      rdr.finalization.finalizeSrvCall(s, true, true);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b03_overlongNetRootNameIsRefusedWithoutChangingCounts() {
    rdr.prefixTable.lock().lockExclusive();
    try {
      SrvCall s = rdr.connections.createSrvCall("srv", 0, fx.m);
      NetRoot n = rdr.connections.createNetRoot(s, "x".repeat(0x8000), 0);
      assertThat(n).isNull();
      assertThat(s.referenceCount()).isEqualTo(1);
      assertThat(rdr.prefixTable.size()).isEqualTo(1);
      rdr.finalization.finalizeSrvCall(s, true, true);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b04_createVNetRootReferencesNetRootAndCapturesIdentity() {
    rdr.prefixTable.lock().lockExclusive();
    try {
      SrvCall s = rdr.connections.createSrvCall("srv", 0, fx.m);
      NetRoot n = rdr.connections.createNetRoot(s, "share", 0);
      VNetRoot v =
          rdr.connections.createVNetRoot(
              fx.ctx(CoreFixture.ALICE), n, null, Credentials.none(), null);
      assertThat(v.referenceCount()).isEqualTo(1);
      assertThat(v.isUpperFinalizationDone()).isFalse();
      assertThat(v.isConnectionFinalizationDone()).isFalse();
      assertThat(v.isAdditionalReferenceTaken()).isFalse();
      assertThat(n.referenceCount()).isEqualTo(2);
      assertThat(n.numberOfVNetRoots()).isEqualTo(1);
      assertThat(v.logonId()).isEqualTo(1);
      assertThat(v.sessionId()).isEqualTo(1);
      rdr.finalization.finalizeVNetRoot(v, true, true);
      rdr.finalization.finalizeSrvCall(s, true, true);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b05_restrictedTokenIsRefusedAndNothingInserted() {
    CallerIdentity restricted = new CallerIdentity(9, 9, "guest", true);
    assertThatThrownBy(() -> fx.open(restricted, "f"))
        .isInstanceOf(RxException.class)
        .extracting(e -> ((RxException) e).status())
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(rdr.prefixTable.size()).isZero();
    rdr.prefixTable.lock().lockExclusive();
    try {
      SrvCall s = rdr.connections.createSrvCall("srv", 0, fx.m);
      NetRoot n = rdr.connections.createNetRoot(s, "share", 0);
      assertThat(
              rdr.connections.createVNetRoot(
                  RxContext.of(restricted), n, null, Credentials.none(), null))
          .isNull();
      assertThat(rdr.prefixTable.size()).isEqualTo(2);
      rdr.finalization.finalizeNetRoot(n, true, true);
      rdr.finalization.finalizeSrvCall(s, true, true);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  @Test
  void b06_netRootHitWithoutDefaultReturnsFirstVNetRoot() {
    VNetRoot a = fx.use(CoreFixture.ALICE, null);
    VNetRoot b = fx.use(CoreFixture.BOB, null);
    rdr.prefixTable.lock().lockShared();
    try {
      PrefixTable.Lookup l = rdr.prefixTable.lookup("\\srv\\share\\f", 0);
      assertThat(l.node()).isSameAs(a).isNotSameAs(b);
      assertThat(l.remainingName()).isEqualTo("\\f");
    } finally {
      rdr.prefixTable.lock().unlockShared();
    }
    fx.finalize(a, ForceFilesClosed.FALSE);
    fx.finalize(b, ForceFilesClosed.FALSE);
  }

  @Test
  void b07_secondLogonGetsItsOwnVNetRootOnTheSameNetRoot() {
    VNetRoot a = fx.use(CoreFixture.ALICE, null);
    try (FileObject f = fx.open(CoreFixture.BOB, "f")) {
      VNetRoot b = f.vNetRoot();
      assertThat(b).isNotSameAs(a);
      assertThat(b.netRoot()).isSameAs(a.netRoot());
      assertThat(a.netRoot().numberOfVNetRoots()).isEqualTo(2);
      assertThat(fx.m.count("MRxCreateVNetRoot")).isEqualTo(2);
      assertThat(fx.m.count("MRxCreateSrvCall")).isEqualTo(1);
    }
    fx.finalize(a, ForceFilesClosed.FALSE);
  }

  @Test
  void identityNeverServesAnotherLogon() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    assertThatThrownBy(() -> rdr.create(fx.ctx(CoreFixture.BOB), a, CreateRequest.openRead("f")))
        .isInstanceOf(RxException.class)
        .extracting(e -> ((RxException) e).status())
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(
            rdr.deleteConnection(
                    fx.ctx(CoreFixture.ALICE), "x:", ForceFilesClosed.FALSE, java.util.Set.of())
                .status())
        .isEqualTo(NtStatus.SUCCESS);
  }

  @Test
  void caseRules_serverAlwaysCaseInsensitive_shareOnlyWithTheSrvCallFlag() {
    RecordingMiniRedirector caseSensitive =
        new RecordingMiniRedirector() {
          @Override
          public NtStatus srvCallWinnerNotify(SrvCall srvCall, boolean winner) {
            return NtStatus.SUCCESS;
          }
        };
    try (Redirector r =
        Redirector.start(RedirectorConfig.builder().miniRedirector(caseSensitive).build())) {
      RxContext ctx = RxContext.of(CoreFixture.ALICE);
      VNetRoot v = r.addConnection(ctx, "\\\\srv\\Share", "X:", Credentials.none(), null);
      assertThat(r.prefixTable().find("\\SRV\\Share\\f", 1).node()).isSameAs(v);
      PrefixTable.Lookup other = r.prefixTable().find("\\srv\\SHARE\\f", 1);
      assertThat(other.node()).as("only the SRV_CALL matches").isInstanceOf(SrvCall.class);
      assertThat(other.remainingName()).isEqualTo("\\SHARE\\f");
      r.deleteConnection(ctx, "X:", ForceFilesClosed.FALSE, java.util.Set.of());
      r.drain();
      assertThat(r.liveNodes()).isEmpty();
    }
  }
}
