package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A NET_ROOT's FCB table (RX_FCB_TABLE): relative path to FCB, case-insensitive on a
 * case-insensitive share, with a dedicated slot for the empty path (the share's root). Its lock is
 * the second of {@link LockOrder}; a version counter bumps on every insert and remove.
 */
public final class FcbTable {
  private final NetRoot netRoot;
  private final boolean caseInsensitive;
  private final OrderedLock lock;
  private final Map<String, Fcb> table = new HashMap<>();
  private Fcb nullSlot;
  private int version;

  FcbTable(NetRoot netRoot, boolean caseInsensitive) {
    this.netRoot = netRoot;
    this.caseInsensitive = caseInsensitive;
    this.lock = OrderedLock.readWrite(LockOrder.FCB_TABLE, "FCB table " + netRoot.name());
  }

  public OrderedLock lock() {
    return lock;
  }

  public boolean isCaseInsensitive() {
    return caseInsensitive;
  }

  /** The key a path is stored under. */
  String keyOf(String path) {
    return caseInsensitive ? path.toUpperCase(Locale.ROOT) : path;
  }

  /** RxFcbTableLookupFcb without the reference; the table must be held. */
  Fcb lookup(String path) {
    requireHeld();
    return path.isEmpty() ? nullSlot : table.get(keyOf(path));
  }

  /** RxFcbTableInsertFcb; the table must be held exclusive. */
  void insert(Fcb fcb) {
    requireExclusive();
    if (fcb.path().isEmpty()) {
      nullSlot = fcb;
    } else {
      table.put(fcb.tableKey, fcb);
    }
    version++;
  }

  /** RxFcbTableRemoveFcb; the table must be held exclusive. */
  boolean remove(Fcb fcb) {
    requireExclusive();
    boolean removed;
    if (fcb.path().isEmpty()) {
      removed = nullSlot == fcb;
      if (removed) {
        nullSlot = null;
      }
    } else {
      removed = table.remove(fcb.tableKey, fcb);
    }
    if (removed) {
      version++;
    }
    return removed;
  }

  /** The FCB in the null-path slot, or {@code null}. Table must be held. */
  Fcb nullSlot() {
    requireHeld();
    return nullSlot;
  }

  /** The FCBs in the hash buckets (not the null slot). Table must be held. */
  List<Fcb> bucketFcbs() {
    requireHeld();
    return new ArrayList<>(table.values());
  }

  /** Every FCB, the null slot included; takes the table shared. */
  public List<Fcb> snapshot() {
    lock.lockShared();
    try {
      List<Fcb> l = new ArrayList<>(table.values());
      if (nullSlot != null) {
        l.add(nullSlot);
      }
      return l;
    } finally {
      lock.unlockShared();
    }
  }

  public int size() {
    return snapshot().size();
  }

  public int version() {
    return version;
  }

  public NetRoot netRoot() {
    return netRoot;
  }

  private void requireHeld() {
    if (!lock.isHeld()) {
      throw new IllegalStateException("FCB table must be held");
    }
  }

  private void requireExclusive() {
    if (!lock.isHeldExclusive()) {
      throw new IllegalStateException("FCB table must be held exclusive");
    }
  }
}
