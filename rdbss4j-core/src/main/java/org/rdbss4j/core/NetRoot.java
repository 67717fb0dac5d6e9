package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * NET_ROOT: one share of a server, {@code \server\share}. Holds the share's FCB table and its
 * V_NET_ROOTs (one per user view). Holds one reference on its SRV_CALL.
 */
public final class NetRoot extends RxNode {
  /** NETROOT_FLAG_SUPPORTS_SYMBOLIC_LINKS. */
  public static final int FLAG_SUPPORTS_SYMBOLIC_LINKS = 0x1;

  /** The share types of RDBSS (NET_ROOT_TYPE). */
  public enum Type {
    DISK,
    PIPE,
    PRINT,
    WILD,
    MAILSLOT
  }

  private final String name;
  private final String shareName;
  final SrvCall srvCall;
  final FcbTable fcbTable;

  /** V_NET_ROOTs in creation order; guarded by the prefix table lock. */
  final List<VNetRoot> vNetRoots = new ArrayList<>();

  VNetRoot defaultVNetRoot;
  volatile int flags;
  volatile Type type = Type.DISK;

  /** NETROOT_FLAG_FINALIZATION_IN_PROGRESS. */
  boolean finalizationInProgress;

  /** NETROOT_FLAG_NAME_ALREADY_REMOVED. */
  boolean nameAlreadyRemoved;

  /** NumberOfFcbs; written under the FCB table lock. */
  volatile int numberOfFcbs;

  /** NumberOfSrvOpens. */
  final java.util.concurrent.atomic.AtomicInteger numberOfSrvOpens =
      new java.util.concurrent.atomic.AtomicInteger();

  NetRoot(Redirector rdr, SrvCall srvCall, String name, String shareName, int flags) {
    super(rdr, NodeType.NET_ROOT, 1);
    this.srvCall = srvCall;
    this.name = name;
    this.shareName = shareName;
    this.flags = flags;
    boolean caseInsensitive =
        (srvCall.flags() & SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES) != 0
            || rdr.config().caseInsensitiveFileNames();
    this.fcbTable = new FcbTable(this, caseInsensitive);
  }

  /** {@code \server\share}. */
  public String name() {
    return name;
  }

  /** The share component alone. */
  public String shareName() {
    return shareName;
  }

  public SrvCall srvCall() {
    return srvCall;
  }

  public FcbTable fcbTable() {
    return fcbTable;
  }

  public int flags() {
    return flags;
  }

  public void setFlags(int flags) {
    this.flags = flags;
  }

  public Type type() {
    return type;
  }

  /** Set by the mini-redirector in MRxCreateVNetRoot. */
  public void setType(Type type) {
    this.type = type;
  }

  public int numberOfFcbs() {
    return numberOfFcbs;
  }

  public int numberOfSrvOpens() {
    return numberOfSrvOpens.get();
  }

  /** A snapshot of the V_NET_ROOTs, in creation order. */
  public List<VNetRoot> vNetRoots() {
    redirector.prefixTable.lock().lockShared();
    try {
      return List.copyOf(vNetRoots);
    } finally {
      redirector.prefixTable.lock().unlockShared();
    }
  }

  public int numberOfVNetRoots() {
    return vNetRoots().size();
  }

  public VNetRoot defaultVNetRoot() {
    return defaultVNetRoot;
  }

  public boolean isFinalizationInProgress() {
    return finalizationInProgress;
  }

  @Override
  public String describe() {
    return "NET_ROOT " + name;
  }
}
