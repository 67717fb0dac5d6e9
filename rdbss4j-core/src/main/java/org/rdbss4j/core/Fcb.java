package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * FCB: one open path of a share, shared by every V_NET_ROOT of that NET_ROOT. Lives in the
 * NET_ROOT's {@link FcbTable}; holds one reference on the V_NET_ROOT through which it was created.
 * Its resource ({@link #resource()}) is the third lock of {@link LockOrder}.
 */
public final class Fcb extends RxNode {
  /** FCB_STATE_DELETE_ON_CLOSE. */
  public static final int STATE_DELETE_ON_CLOSE = 0x1;

  /** FCB_STATE_ORPHANED. */
  public static final int STATE_ORPHANED = 0x80;

  /** FCB_STATE_FAKEFCB. */
  public static final int STATE_FAKEFCB = 0x1000;

  /** FCB_STATE_COLLAPSING_ENABLED. */
  public static final int STATE_COLLAPSING_ENABLED = 0x400000;

  /** FCB_STATE_NAME_ALREADY_REMOVED. */
  public static final int STATE_NAME_ALREADY_REMOVED = 0x10000000;

  final NetRoot netRoot;
  final VNetRoot vNetRoot;
  private final String path;
  final String tableKey;
  final OrderedLock resource;

  /** FcbState flags; written under the FCB resource. */
  volatile int state;

  /** UncleanCount: handles not yet cleaned up. */
  volatile int uncleanCount;

  /** OpenCount: file objects not yet closed. */
  volatile int openCount;

  /** SRV_OPENs of this FCB; guarded by the resource. */
  final List<SrvOpen> srvOpens = new ArrayList<>();

  /** SrvOpenListVersion. */
  volatile int srvOpenListVersion;

  /** Whether the embedded (spare) SRV_OPEN slot is in use. */
  boolean embeddedSrvOpenUsed;

  /** Whether the embedded (spare) FOBX slot is in use. */
  boolean embeddedFobxUsed;

  /** The FCB's cached pages and sizes ({@link DataCache}), once data was cached. */
  volatile DataCache.FcbCache cache;

  /** Times, sizes and attributes, once known (RxFinishFcbInitialization). */
  volatile FileInfo info;

  /** The byte-range locks granted through this FCB's handles, checked on every read and write. */
  final FileLocks locks = new FileLocks();

  Fcb(Redirector rdr, NetRoot netRoot, VNetRoot vNetRoot, String path, String tableKey) {
    super(rdr, NodeType.STORAGE_TYPE_UNKNOWN, 2);
    this.netRoot = netRoot;
    this.vNetRoot = vNetRoot;
    this.path = path;
    this.tableKey = tableKey;
    this.resource = OrderedLock.exclusive(LockOrder.FCB, "FCB " + path);
    this.state = STATE_COLLAPSING_ENABLED;
  }

  /** The path relative to the share, backslash separated, empty for the share's root. */
  public String path() {
    return path;
  }

  public NetRoot netRoot() {
    return netRoot;
  }

  /** The V_NET_ROOT through which the FCB was created. */
  public VNetRoot vNetRoot() {
    return vNetRoot;
  }

  /** The FCB resource (main resource). */
  public OrderedLock resource() {
    return resource;
  }

  public int state() {
    return state;
  }

  public boolean isOrphaned() {
    return (state & STATE_ORPHANED) != 0;
  }

  public boolean isDirectory() {
    return nodeType() == NodeType.STORAGE_TYPE_DIRECTORY;
  }

  public int uncleanCount() {
    return uncleanCount;
  }

  public int openCount() {
    return openCount;
  }

  public int srvOpenListVersion() {
    return srvOpenListVersion;
  }

  /** A snapshot of the SRV_OPENs. */
  public List<SrvOpen> srvOpens() {
    synchronized (srvOpens) {
      return List.copyOf(srvOpens);
    }
  }

  /** Times, sizes and attributes as last learnt, or {@code null} before initialization. */
  public FileInfo info() {
    return info;
  }

  void setState(int bits) {
    state |= bits;
  }

  void clearState(int bits) {
    state &= ~bits;
  }

  @Override
  public String describe() {
    return "FCB " + netRoot.name() + "\\" + path;
  }
}
