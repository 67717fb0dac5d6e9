package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RDBSS.md section 13, behaviours 14 to 18: FCB, SRV_OPEN and FOBX creation. */
class FcbConformanceTest {
  private final CoreFixture fx = new CoreFixture();
  private final Redirector rdr = fx.rdr;

  @AfterEach
  void leakCheck() {
    fx.close();
  }

  private void finalizeFcb(Fcb fcb, int callerRefs) {
    FcbTable t = fcb.netRoot().fcbTable();
    t.lock().lockExclusive();
    fcb.resource().lockExclusive();
    try {
      for (int i = 0; i < callerRefs; i++) {
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      }
    } finally {
      fcb.resource().unlockExclusive();
      t.lock().unlockExclusive();
    }
  }

  @Test
  void b14_createNetFcbCountsTwoAndIsFoundCaseInsensitively() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    int vBefore = v.referenceCount();
    FcbTable t = v.netRoot().fcbTable();
    t.lock().lockExclusive();
    Fcb fcb;
    try {
      fcb = rdr.fileOps.createNetFcb(v, "dir\\f");
      assertThat(fcb.referenceCount()).isEqualTo(2);
      assertThat(fcb.nodeType()).isEqualTo(NodeType.STORAGE_TYPE_UNKNOWN);
      assertThat(v.referenceCount()).isEqualTo(vBefore + 1);
      assertThat(v.netRoot().numberOfFcbs()).isEqualTo(1);
      Fcb found = t.lookup("DIR\\F");
      rdr.refs.referenceFcb(found);
      assertThat(found).isSameAs(fcb);
      assertThat(fcb.referenceCount()).isEqualTo(3);
    } finally {
      t.lock().unlockExclusive();
    }
    finalizeFcb(fcb, 2);
    assertThat(fcb.isFreed()).isTrue();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b15_emptyPathOccupiesTheNullSlot() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    FcbTable t = v.netRoot().fcbTable();
    t.lock().lockExclusive();
    Fcb fcb;
    try {
      fcb = rdr.fileOps.createNetFcb(v, "");
      assertThat(t.nullSlot()).isSameAs(fcb);
      assertThat(t.lookup("")).isSameAs(fcb);
      assertThat(t.bucketFcbs()).doesNotContain(fcb);
    } finally {
      t.lock().unlockExclusive();
    }
    finalizeFcb(fcb, 1);
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  /**
   * Divergence: rdbss4j has no open-target-directory creates, so there is no fake FCB. A rename
   * hands the target path to the mini-redirector (SetInfo.Rename) and no FCB is made for it.
   */
  @Test
  void b16_divergence_renameMakesNoFcbForItsTarget() {
    try (FileObject f = fx.open(CoreFixture.ALICE, "old")) {
      f.setInformation(new SetInfo.Rename("new", false));
      FcbTable t = f.fcb().netRoot().fcbTable();
      assertThat(t.snapshot()).extracting(Fcb::path).doesNotContain("new");
      assertThat(f.fcb().state() & Fcb.STATE_NAME_ALREADY_REMOVED).isNotZero();
      assertThat(t.snapshot()).doesNotContain(f.fcb());
    }
  }

  @Test
  void b17_firstSrvOpenIsTheEmbeddedOne() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    FcbTable t = v.netRoot().fcbTable();
    t.lock().lockExclusive();
    Fcb fcb;
    try {
      fcb = rdr.fileOps.createNetFcb(v, "f");
    } finally {
      t.lock().unlockExclusive();
    }
    int fcbBefore = fcb.referenceCount();
    int vBefore = v.referenceCount();
    int versionBefore = fcb.srvOpenListVersion();
    t.lock().lockExclusive();
    fcb.resource().lockExclusive();
    try {
      SrvOpen first = rdr.fileOps.createSrvOpen(fcb, v, CreateRequest.openRead("f"));
      SrvOpen second = rdr.fileOps.createSrvOpen(fcb, v, CreateRequest.openRead("f"));
      assertThat(first.hasFlag(SrvOpen.FLAG_ENCLOSED_ALLOCATED)).isTrue();
      assertThat(second.hasFlag(SrvOpen.FLAG_ENCLOSED_ALLOCATED)).isFalse();
      assertThat(fcb.referenceCount()).isEqualTo(fcbBefore + 2);
      assertThat(v.referenceCount()).isEqualTo(vBefore + 2);
      assertThat(fcb.srvOpenListVersion()).isEqualTo(versionBefore + 2);
      rdr.refs.dereference(first, LockHoldingState.EXCLUSIVE_LOCK_HELD);
      rdr.refs.dereference(second, LockHoldingState.EXCLUSIVE_LOCK_HELD);
      rdr.finalization.dereferenceAndFinalizeFcb(fcb);
    } finally {
      fcb.resource().unlockExclusive();
      t.lock().unlockExclusive();
    }
    assertThat(fcb.isFreed()).isTrue();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }

  @Test
  void b18_createNetFobxReferencesTheSrvOpenAndChargesTheVNetRoot() {
    VNetRoot v = fx.use(CoreFixture.ALICE, null);
    FcbTable t = v.netRoot().fcbTable();
    t.lock().lockExclusive();
    Fcb fcb;
    try {
      fcb = rdr.fileOps.createNetFcb(v, "f");
      fcb.resource().lockExclusive();
      try {
        SrvOpen s = rdr.fileOps.createSrvOpen(fcb, v, CreateRequest.openRead("f"));
        int before = s.referenceCount();
        int fobxsBefore = v.numberOfFobxs();
        Fobx x = rdr.fileOps.createNetFobx(s, CreateRequest.openRead("f"));
        assertThat(x.referenceCount()).isEqualTo(1);
        assertThat(x.fobxSerialNumber()).isZero();
        assertThat(s.referenceCount()).isEqualTo(before + 1);
        assertThat(v.numberOfFobxs()).isEqualTo(fobxsBefore + 1);
        rdr.refs.dereference(s, LockHoldingState.EXCLUSIVE_LOCK_HELD);
        rdr.refs.dereference(x, LockHoldingState.EXCLUSIVE_LOCK_HELD);
        rdr.finalization.dereferenceAndFinalizeFcb(fcb);
      } finally {
        fcb.resource().unlockExclusive();
      }
    } finally {
      t.lock().unlockExclusive();
    }
    assertThat(fcb.isFreed()).isTrue();
    assertThat(v.numberOfFobxs()).isZero();
    fx.finalize(v, ForceFilesClosed.FALSE);
  }
}
