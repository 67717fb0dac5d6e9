package org.rdbss4j.core;

/**
 * RxReference and RxDereference (RDBSS.md section 3): reference counts, scavenger marking and the
 * step from a count falling low to finalization. Counts change only under the scavenger mutex, the
 * innermost lock; the mutex is released before any finalization routine runs.
 */
final class RefCounts {
  private final Redirector rdr;
  final OrderedLock mutex = OrderedLock.exclusive(LockOrder.SCAVENGER, "scavenger mutex");

  RefCounts(Redirector rdr) {
    this.rdr = rdr;
  }

  /**
   * RxReference: for SRV_CALL, NET_ROOT, V_NET_ROOT, SRV_OPEN and FOBX only. A scavenger-marked
   * node is unmarked and the scavenger's reference is released (the caller now owns it).
   */
  void reference(RxNode node) {
    if (node instanceof Fcb) {
      throw new AssertionError("RxReference on an FCB: use RxpReferenceNetFcb");
    }
    mutex.lockExclusive();
    try {
      requireLive(node);
      node.refCount++;
      if ((node.nodeTypeCode & NodeType.SCAVENGER_MASK) != 0) {
        rdr.scavenger.unmarkLocked(node);
        node.refCount--;
      }
    } finally {
      mutex.unlockExclusive();
    }
  }

  /** RxpReferenceNetFcb: adjusts the count and returns the new value; never finalizes. */
  int referenceFcb(Fcb fcb) {
    mutex.lockExclusive();
    try {
      requireLive(fcb);
      return ++fcb.refCount;
    } finally {
      mutex.unlockExclusive();
    }
  }

  /** RxpDereferenceNetFcb: adjusts the count and returns the new value; never finalizes. */
  int dereferenceFcb(Fcb fcb) {
    mutex.lockExclusive();
    try {
      int c = --fcb.refCount;
      if (c < 0) {
        throw new AssertionError("negative reference count on " + fcb);
      }
      return c;
    } finally {
      mutex.unlockExclusive();
    }
  }

  /**
   * RxDereference. With the relevant lock held exclusive (the prefix table for SRV_CALL, NET_ROOT
   * and V_NET_ROOT; the FCB for SRV_OPEN and FOBX) a node whose count falls low is finalized now;
   * otherwise connection nodes and unreferenced FOBXs are marked for the scavenger.
   */
  void dereference(RxNode node, LockHoldingState lhs) {
    if (node instanceof Fcb) {
      throw new AssertionError("RxDereference on an FCB: use RxpDereferenceNetFcb");
    }
    int count;
    mutex.lockExclusive();
    try {
      count = --node.refCount;
      if (count < 0) {
        throw new AssertionError("negative reference count on " + node);
      }
      if (count > 1) {
        return;
      }
      if (lhs != LockHoldingState.EXCLUSIVE_LOCK_HELD) {
        boolean mark =
            (node instanceof Fobx && count == 0)
                || node instanceof SrvCall
                || node instanceof NetRoot
                || node instanceof VNetRoot;
        if (mark && (node.nodeTypeCode & NodeType.SCAVENGER_MASK) == 0 && !node.freed) {
          rdr.scavenger.markLocked(node);
          node.refCount++;
        }
        return;
      }
      if ((node.nodeTypeCode & NodeType.SCAVENGER_MASK) != 0) {
        rdr.scavenger.unmarkLocked(node);
      }
    } finally {
      mutex.unlockExclusive();
    }
    finalizeLow(node);
  }

  private void finalizeLow(RxNode node) {
    switch (node) {
      case SrvCall s -> rdr.finalization.finalizeSrvCall(s, true, true);
      case NetRoot n -> rdr.finalization.finalizeNetRoot(n, true, true);
      case VNetRoot v -> rdr.finalization.finalizeVNetRoot(v, true, true);
      case SrvOpen s -> {
        if (s.openCount == 0) {
          rdr.finalization.finalizeSrvOpen(s, false, false);
        }
      }
      case Fobx f -> rdr.finalization.finalizeNetFobx(f, true, false);
      case Fcb f -> throw new AssertionError(f);
    }
  }

  /**
   * Drops a reference only if the count stays above one afterwards, where RxDereference would do
   * nothing else; returns false, changing nothing, when the caller must take the slow path.
   */
  boolean dereferenceIfStillReferenced(RxNode node) {
    mutex.lockExclusive();
    try {
      if (node.refCount > 2) {
        node.refCount--;
        return true;
      }
      return false;
    } finally {
      mutex.unlockExclusive();
    }
  }

  /**
   * The scavenger drops its reference on a node it holds, with the node's lock held exclusive, and
   * finalizes it as RxDereference would. Returns false, changing nothing, if someone referenced the
   * node (and so took over the scavenger's reference) since it was marked.
   */
  boolean dereferenceFromScavenger(RxNode node) {
    mutex.lockExclusive();
    try {
      if ((node.nodeTypeCode & NodeType.SCAVENGER_MASK) == 0 || node.freed) {
        return false;
      }
      rdr.scavenger.unmarkLocked(node);
      node.refCount--;
      if (node.refCount > 1) {
        return true;
      }
    } finally {
      mutex.unlockExclusive();
    }
    finalizeLow(node);
    return true;
  }

  private static void requireLive(RxNode node) {
    if (node.freed) {
      throw new AssertionError("reference to a freed node: " + node);
    }
  }
}
