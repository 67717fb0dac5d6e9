package org.rdbss4j.core;

/**
 * The {@code ForceFilesClosed} argument of {@code RxFinalizeConnection}: a closed type with exactly
 * the three documented values (RDBSS.md part A, decision 1).
 */
public enum ForceFilesClosed {
  /** FALSE (0): fail, changing nothing, while anything of the connection is in use. */
  FALSE(0),
  /** TRUE (1): cancel outstanding requests, orphan open handles, always succeed. */
  TRUE(1),
  /**
   * 0xFF: drop the add-connection reference, otherwise act as FALSE; a connection still in use is
   * finalized when its last handle closes (a lazy delete).
   */
  LAZY(0xFF);

  private final int wireValue;

  ForceFilesClosed(int wireValue) {
    this.wireValue = wireValue;
  }

  /** The integer RDBSS uses for this level. */
  public int wireValue() {
    return wireValue;
  }

  /**
   * The level for an integer from an untyped edge (control socket, CLI).
   *
   * @throws RxException with {@link NtStatus#INVALID_PARAMETER} for any other value
   */
  public static ForceFilesClosed fromWire(long value) {
    for (ForceFilesClosed f : values()) {
      if (f.wireValue == value) {
        return f;
      }
    }
    throw new RxException(
        NtStatus.INVALID_PARAMETER,
        "ForceFilesClosed must be 0 (FALSE), 1 (TRUE) or 0xFF, not " + value);
  }
}
