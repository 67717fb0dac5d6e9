package org.rdbss4j.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * V_NET_ROOT: one caller identity's view of a share. Named {@code \;X:<logonId>\server\share} for a
 * device mapping and {@code \;:<logonId>\server\share} for plain UNC use; holds the identity's
 * credentials for its life and one reference on its NET_ROOT. Every request in flight on it is
 * listed here so that a forced {@code RxFinalizeConnection} can cancel it.
 */
public final class VNetRoot extends RxNode {
  private final String name;
  final NetRoot netRoot;
  private final CallerIdentity identity;
  private final Credentials credentials;
  private final String localDevice;
  private final ConnectOptions options;

  /** NumberOfOpens: tree-connect handles. */
  final AtomicInteger numberOfOpens = new AtomicInteger();

  /** NumberOfFobxs: FOBXs charged to this V_NET_ROOT, dormant ones included. */
  final AtomicInteger numberOfFobxs = new AtomicInteger();

  /** AdditionalReferenceForDeleteFsctlTaken (0 or 1). */
  volatile boolean additionalReferenceTaken;

  /** ConnectionFinalizationDone. */
  volatile boolean connectionFinalizationDone;

  /** Explicit connection (an add-connection, "use"), as opposed to implicit UNC use. */
  volatile boolean explicitConnection;

  /** Dropped its add-connection reference by a 0xFF delete while in use. */
  volatile boolean lazyDeletePending;

  /** The requests in flight on this V_NET_ROOT. */
  final Set<RxContext> outstanding = ConcurrentHashMap.newKeySet();

  /**
   * The share's FileSystemAttributes flags as this connection sees them (read-only volume, case
   * sensitivity...), learnt once: they belong to the tree connect and do not change while it lasts.
   * -1 until asked.
   */
  volatile int volumeAttributes = -1;

  VNetRoot(
      Redirector rdr,
      NetRoot netRoot,
      String name,
      CallerIdentity identity,
      Credentials credentials,
      String localDevice,
      ConnectOptions options) {
    super(rdr, NodeType.V_NET_ROOT, 1);
    this.netRoot = netRoot;
    this.name = name;
    this.identity = identity;
    this.credentials = credentials == null ? Credentials.none() : credentials;
    this.localDevice = localDevice;
    this.options = options == null ? ConnectOptions.defaults() : options;
  }

  /** The prefix-table name, {@code \;X:<logonId>\server\share}. */
  public String name() {
    return name;
  }

  public NetRoot netRoot() {
    return netRoot;
  }

  public CallerIdentity identity() {
    return identity;
  }

  /** The logon id (LUID) this view belongs to. */
  public long logonId() {
    return identity.logonId();
  }

  /** The session id of the identity. */
  public long sessionId() {
    return identity.sessionId();
  }

  /** The credentials; only the mini-redirector should read the password, and never log it. */
  public Credentials credentials() {
    return credentials;
  }

  /** The local device ({@code X:}) this view is mapped to, or {@code null} for UNC use. */
  public String localDevice() {
    return localDevice;
  }

  public ConnectOptions options() {
    return options;
  }

  /** The UNC name of the share, {@code \\server\share}. */
  public String uncName() {
    return "\\" + netRoot.name();
  }

  public int numberOfOpens() {
    return numberOfOpens.get();
  }

  public int numberOfFobxs() {
    return numberOfFobxs.get();
  }

  public boolean isAdditionalReferenceTaken() {
    return additionalReferenceTaken;
  }

  public boolean isConnectionFinalizationDone() {
    return connectionFinalizationDone;
  }

  /**
   * A 0xFF delete dropped its add-connection reference while in use: it goes with its last handle.
   */
  public boolean isLazyDeletePending() {
    return lazyDeletePending;
  }

  public boolean isExplicitConnection() {
    return explicitConnection;
  }

  /** A snapshot of the requests in flight on this V_NET_ROOT. */
  public List<RxContext> outstandingRequests() {
    return List.copyOf(outstanding);
  }

  @Override
  public String describe() {
    return "V_NET_ROOT " + name + " (" + identity.userName() + ")";
  }
}
