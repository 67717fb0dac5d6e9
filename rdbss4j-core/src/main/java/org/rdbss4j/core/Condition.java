package org.rdbss4j.core;

/** {@code RX_BLOCK_CONDITION}: the state of a SRV_CALL, NET_ROOT, V_NET_ROOT, FCB or SRV_OPEN. */
public enum Condition {
  UNINITIALIZED,
  IN_TRANSITION,
  CLOSING,
  GOOD,
  BAD,
  CLOSED;

  /** "Stable" in RDBSS terms: Good or beyond, so no waiter needs to wait. */
  public boolean isStable() {
    return ordinal() >= GOOD.ordinal();
  }
}
