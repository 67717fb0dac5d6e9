package org.rdbss4j.core;

/**
 * What a server lets a client cache for one open (RDBSS's buffering state, the SMB2 lease bits):
 * the mini-redirector reports the grant in {@link CreateResult#buffering()} and a later break
 * through {@link SrvOpen#indicateChangeOfBufferingState}. Without a grant nothing is cached (as
 * Linux cifs with cache=strict).
 */
public enum Buffering {
  /** Reads may be served from the cache (SMB2 lease R, level II / exclusive / batch oplock). */
  READ,
  /** Writes may be held back (write-behind) (lease W, exclusive / batch oplock). */
  WRITE,
  /** The handle may be kept open after the last close (lease H, batch oplock): deferred close. */
  HANDLE
}
