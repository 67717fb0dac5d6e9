package org.rdbss4j.core;

/** LOCK_HOLDING_STATE: what the caller of {@code RxDereference} holds. */
public enum LockHoldingState {
  /** LHS_LockNotHeld: a node whose count falls low is marked for the scavenger. */
  LOCK_NOT_HELD,
  /** LHS_SharedLockHeld: as not held; finalization needs the lock exclusive. */
  SHARED_LOCK_HELD,
  /** LHS_ExclusiveLockHeld: a node whose count falls low is finalized now. */
  EXCLUSIVE_LOCK_HELD
}
