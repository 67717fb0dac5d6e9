package org.rdbss4j.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * SRV_CALL: one server, and the one transport to it that every user and share of that server
 * shares. Named {@code \server} in the prefix table (with {@code :port} when a port other than the
 * mini-redirector's default is asked for).
 *
 * <p>When its last NET_ROOT goes the SRV_CALL is not closed: the scavenger holds it, dormant, for
 * reuse until its idle timeout (RDBSS.md part A, decision 7).
 */
public final class SrvCall extends RxNode {
  /** SRV_CALL_FLAG_CASE_INSENSITIVE_NETROOTS. */
  public static final int FLAG_CASE_INSENSITIVE_NETROOTS = 0x4;

  /** SRV_CALL_FLAG_CASE_INSENSITIVE_FILENAMES. */
  public static final int FLAG_CASE_INSENSITIVE_FILENAMES = 0x8;

  /** SRV_CALL_FLAG_FORCE_FINALIZED. */
  public static final int FLAG_FORCE_FINALIZED = 0x20;

  private final String name;
  private final String serverName;
  private final int port;
  final MiniRedirector miniRdr;
  private volatile int flags;
  private volatile String domainName;
  private volatile int maximumNumberOfCloseDelayedFiles;
  final AtomicInteger numberOfCloseDelayedFiles = new AtomicInteger();

  /** Finalize closes the transport (the close-transport option of a delete). */
  volatile boolean closeTransportRequested;

  /** MRxFinalizeSrvCall has run (on the finalization worker). */
  volatile boolean miniFinalized;

  SrvCall(Redirector rdr, String name, String serverName, int port, MiniRedirector miniRdr) {
    super(rdr, NodeType.SRV_CALL, 1);
    this.name = name;
    this.serverName = serverName;
    this.port = port;
    this.miniRdr = miniRdr;
    this.maximumNumberOfCloseDelayedFiles = rdr.config().maxCloseDelayedFiles();
  }

  /** The prefix-table name, {@code \server} or {@code \server:port}. */
  public String name() {
    return name;
  }

  /** The server's name as given (host name or address). */
  public String serverName() {
    return serverName;
  }

  /** The TCP port asked for, 0 for the mini-redirector's default. */
  public int port() {
    return port;
  }

  public MiniRedirector miniRedirector() {
    return miniRdr;
  }

  public int flags() {
    return flags;
  }

  /** Set by the mini-redirector (MRxSrvCallWinnerNotify), e.g. the case-insensitivity flags. */
  public void setFlags(int flags) {
    this.flags = flags;
  }

  public String domainName() {
    return domainName;
  }

  /**
   * RxSetSrvCallDomainName: replaces the domain name; {@code null} or empty clears it.
   *
   * @return STATUS_SUCCESS
   */
  public NtStatus setDomainName(String name) {
    this.domainName = name == null || name.isEmpty() ? null : name;
    return NtStatus.SUCCESS;
  }

  public int maximumNumberOfCloseDelayedFiles() {
    return maximumNumberOfCloseDelayedFiles;
  }

  /** Set by the mini-redirector: how many closes may be delayed on this server (0: none). */
  public void setMaximumNumberOfCloseDelayedFiles(int max) {
    this.maximumNumberOfCloseDelayedFiles = Math.max(0, max);
  }

  public int numberOfCloseDelayedFiles() {
    return numberOfCloseDelayedFiles.get();
  }

  /**
   * The mini-redirector lost the transport (the server went away): the SRV_CALL becomes Bad, so the
   * next UNC open constructs a new SRV_CALL (a reconnect) instead of reusing this one.
   */
  public void transportFailed(NtStatus status) {
    updateCondition(Condition.BAD, status);
  }

  /** The mini-redirector re-established the transport under the same SRV_CALL: Good again. */
  public void transportRestored() {
    updateCondition(Condition.GOOD, NtStatus.SUCCESS);
  }

  /** Whether the scavenger holds this SRV_CALL with no NET_ROOT: its transport is idle. */
  public boolean isDormant() {
    return isScavengerMarked();
  }

  @Override
  public String describe() {
    return "SRV_CALL " + name;
  }
}
