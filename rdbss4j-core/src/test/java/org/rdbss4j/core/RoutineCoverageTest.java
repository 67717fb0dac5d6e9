package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RxForceFinalizeAllVNetRoots and RxSetSrvCallDomainName, which section 13 does not number. */
class RoutineCoverageTest {
  private final CoreFixture fx = new CoreFixture();

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  @Test
  void forceFinalizeAllVNetRootsFinalizesEveryUserViewOfTheShare() {
    VNetRoot a = fx.use(CoreFixture.ALICE, "X:");
    VNetRoot b = fx.use(CoreFixture.BOB, null);
    FileObject open = fx.rdr.create(fx.ctx(CoreFixture.BOB), b, CreateRequest.openReadWrite("f"));
    NetRoot n = a.netRoot();
    fx.rdr.forceFinalizeAllVNetRoots(n);
    assertThat(n.vNetRoots()).isEmpty();
    assertThat(a.isFreed()).isTrue();
    assertThat(open.srvOpen().isOrphaned()).isTrue();
    assertThat(fx.rdr.prefixTable().names()).doesNotContain(n.name());
    open.close();
    assertThat(b.isFreed()).isTrue();
  }

  @Test
  void setSrvCallDomainNameReplacesAndClears() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    SrvCall s = v.netRoot().srvCall();
    assertThat(s.setDomainName("CORP")).isEqualTo(NtStatus.SUCCESS);
    assertThat(s.domainName()).isEqualTo("CORP");
    s.setDomainName("");
    assertThat(s.domainName()).isNull();
    s.setDomainName("LAB");
    s.setDomainName(null);
    assertThat(s.domainName()).isNull();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void closeTransportOptionFinalizesTheSrvCallAtOnce() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    SrvCall s = v.netRoot().srvCall();
    FinalizeResult r =
        fx.rdr.deleteConnection(
            fx.ctx(CoreFixture.ALICE),
            "X:",
            ForceFilesClosed.FALSE,
            java.util.Set.of(FinalizeOption.CLOSE_TRANSPORT));
    assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(s.isDormant()).isFalse();
    assertThat(fx.rdr.prefixTable().names()).doesNotContain(s.name());
  }

  @Test
  void dormantTransportIsReusedByTheNextConnection() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    SrvCall s = v.netRoot().srvCall();
    fx.finalize(v, ForceFilesClosed.FALSE);
    assertThat(s.isDormant()).isTrue();
    VNetRoot w = fx.use(CoreFixture.BOB, "Y:");
    assertThat(w.netRoot().srvCall()).isSameAs(s);
    assertThat(s.isDormant()).isFalse();
    assertThat(fx.m.count("MRxCreateSrvCall")).isEqualTo(1);
    fx.finalize(w, ForceFilesClosed.FALSE);
  }

  @Test
  void noCollapsingOntoAnActiveOpenWhoseShareModeExcludesItsOwnAccess() {
    CreateRequest exclusive = CreateRequest.openReadWrite("").withShareAccess(0);
    try (FileObject a = fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\f", exclusive);
        FileObject b = fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\f", exclusive)) {
      assertThat(b.srvOpen()).isNotSameAs(a.srvOpen());
      assertThat(fx.m.count("MRxCreate"))
          .as("the server decides the sharing conflict")
          .isEqualTo(2);
    }
    try (FileObject c = fx.open(CoreFixture.ALICE, "g");
        FileObject d = fx.open(CoreFixture.ALICE, "g")) {
      assertThat(d.srvOpen())
          .as("a mode that shares its own access collapses")
          .isSameAs(c.srvOpen());
      assertThat(d.createAction()).isEqualTo(CreateResult.Action.OPENED);
    }
  }

  @Test
  void aFailedTransportIsReplacedByTheNextUncOpen() {
    FileObject old = fx.open(CoreFixture.ALICE, "f");
    SrvCall s = old.vNetRoot().netRoot().srvCall();
    s.transportFailed(NtStatus.CONNECTION_DISCONNECTED);
    try (FileObject again = fx.open(CoreFixture.ALICE, "f")) {
      assertThat(again.vNetRoot().netRoot().srvCall()).isNotSameAs(s);
      assertThat(fx.m.count("MRxCreateSrvCall")).isEqualTo(2);
    }
    old.close();
  }

  @Test
  void renamePurgesTheSourcesDelayedClosesAndListenersHearOfFinalizedConnections()
      throws Exception {
    java.util.concurrent.CompletableFuture<VNetRoot> gone =
        new java.util.concurrent.CompletableFuture<>();
    fx.rdr.onConnectionFinalized(gone::complete);
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject reader = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openRead("a"));
    reader.close();
    assertThat(reader.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    try (FileObject mover =
        fx.rdr.create(
            fx.ctx(CoreFixture.ALICE),
            v,
            CreateRequest.openReadWrite("a")
                .withAccess(FileAccess.GENERIC_READ | FileAccess.DELETE))) {
      mover.setInformation(new SetInfo.Rename("b", false));
    }
    assertThat(reader.srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).isTrue();
    VNetRoot found = fx.rdr.findConnection(CoreFixture.ALICE, "x:");
    assertThat(found).isSameAs(v);
    fx.rdr.release(found);
    fx.finalize(v, ForceFilesClosed.FALSE);
    assertThat(gone.get(5, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(v);
  }

  @Test
  void rawGenericRightsAllowReadsAndWrites() {
    CreateRequest all = CreateRequest.openReadWrite("").withAccess(FileAccess.GENERIC_ALL_RIGHT);
    try (FileObject f = fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\g", all)) {
      assertThat(f.write(0, java.nio.ByteBuffer.wrap(new byte[] {7}))).isEqualTo(1);
      assertThat(f.read(0, java.nio.ByteBuffer.allocate(4))).isEqualTo(1);
    }
    RxContext ctx = fx.ctx(CoreFixture.ALICE);
    Runnable first = () -> {};
    ctx.setCancelRoutine(first);
    Runnable second = () -> {};
    ctx.setCancelRoutine(second);
    ctx.clearCancelRoutine(first);
    assertThat(ctx.hasCancelRoutine()).as("a stale clear keeps the newer routine").isTrue();
    ctx.clearCancelRoutine(second);
    assertThat(ctx.hasCancelRoutine()).isFalse();
  }

  @Test
  void directoryRenameAndLazyDeleteCloseOurDelayedHandles() {
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject inner = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openRead("d\\f"));
    inner.close();
    assertThat(inner.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    try (FileObject dir =
        fx.rdr.create(
            fx.ctx(CoreFixture.ALICE),
            v,
            CreateRequest.openDirectory("d")
                .withAccess(FileAccess.GENERIC_READ | FileAccess.DELETE))) {
      dir.setInformation(new SetInfo.Rename("e", false));
    }
    assertThat(inner.srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).isTrue();
    FileObject held = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("h"));
    FileObject cached = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openRead("c"));
    cached.close();
    assertThat(fx.finalize(v, ForceFilesClosed.LAZY).status()).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(cached.srvOpen().hasFlag(SrvOpen.FLAG_CLOSED)).isTrue();
    held.close();
    assertThat(v.isFreed()).as("gone with its last handle").isTrue();
  }
}
