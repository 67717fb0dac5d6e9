package org.rdbss4j.core;

/** Options of a connection delete. */
public enum FinalizeOption {
  /**
   * Close the server connection (the SRV_CALL's transport) at once when nothing else uses it,
   * instead of keeping it dormant for reuse until the scavenger's idle timeout.
   */
  CLOSE_TRANSPORT
}
