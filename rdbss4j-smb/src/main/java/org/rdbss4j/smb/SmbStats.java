package org.rdbss4j.smb;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link SmbMiniRedirector}, across its servers: requests sent and leases, for
 * tests and benchmarks that show what the caches saved ({@link SmbMiniRedirector#stats()}).
 */
public final class SmbStats {
  final LongAdder readRequests = new LongAdder();
  final LongAdder directReads = new LongAdder();
  final LongAdder writeRequests = new LongAdder();
  final LongAdder leasesGranted = new LongAdder();
  final LongAdder leaseBreaks = new LongAdder();
  final LongAdder breakAcks = new LongAdder();

  SmbStats() {}

  /** SMB2 READ requests sent. */
  public long readRequests() {
    return readRequests.sum();
  }

  /**
   * READ responses whose data was read from the socket straight into the caller's buffer (see
   * {@code SmbSocketTransport}); the others (encrypted, or signed for a session the transport could
   * not key) were copied out of smbj's message.
   */
  public long directReads() {
    return directReads.sum();
  }

  /** SMB2 WRITE requests sent. */
  public long writeRequests() {
    return writeRequests.sum();
  }

  /** Opens the server granted a lease with at least read caching. */
  public long leasesGranted() {
    return leasesGranted.sum();
  }

  /** Lease break notifications received. */
  public long leaseBreaks() {
    return leaseBreaks.sum();
  }

  /** Lease break acknowledgements the server accepted. */
  public long breakAcks() {
    return breakAcks.sum();
  }

  @Override
  public String toString() {
    return "SmbStats[reads="
        + readRequests()
        + ", direct="
        + directReads()
        + ", writes="
        + writeRequests()
        + ", leases="
        + leasesGranted()
        + ", breaks="
        + leaseBreaks()
        + ", acks="
        + breakAcks()
        + "]";
  }
}
