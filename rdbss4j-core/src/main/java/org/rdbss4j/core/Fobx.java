package org.rdbss4j.core;

/**
 * FOBX: one caller's open of a file (the FILE_OBJECT's FsContext2). Holds one reference on its
 * SRV_OPEN and is charged to the SRV_OPEN's V_NET_ROOT ({@code NumberOfFobxs}).
 */
public final class Fobx extends RxNode {
  /** FOBX_FLAG_SRVOPEN_CLOSED. */
  public static final int FLAG_SRVOPEN_CLOSED = 0x1000000;

  /** FOBX_FLAG_ENCLOSED_ALLOCATED. */
  public static final int FLAG_ENCLOSED_ALLOCATED = 0x4000000;

  /** FOBX_FLAG_MARKED_AS_DORMANT: cleaned up, awaiting close. */
  public static final int FLAG_MARKED_AS_DORMANT = 0x8000000;

  /** FOBX_FLAG_DELETE_ON_CLOSE. */
  public static final int FLAG_DELETE_ON_CLOSE = 0x800000;

  final SrvOpen srvOpen;

  /** Flags; written under the FCB resource. */
  volatile int flags;

  /** FobxSerialNumber. */
  volatile int fobxSerialNumber;

  /** CloseTime (nanotime) when placed in delayed close. */
  volatile long closeTime;

  /** fOpenCountDecremented. */
  volatile boolean openCountDecremented;

  /** Whether the caller has cleaned up this open (IRP_MJ_CLEANUP). */
  volatile boolean cleanedUp;

  /** Whether the caller has closed this open (IRP_MJ_CLOSE). */
  volatile boolean closed;

  /** In delayed close: its SRV_OPEN is CLOSE_DELAYED and the scavenger holds it. */
  volatile boolean delayedClose;

  Fobx(Redirector rdr, SrvOpen srvOpen, int flags) {
    super(rdr, NodeType.FOBX, 1);
    this.srvOpen = srvOpen;
    this.flags = flags;
  }

  public SrvOpen srvOpen() {
    return srvOpen;
  }

  public Fcb fcb() {
    return srvOpen.fcb;
  }

  public int flags() {
    return flags;
  }

  public int fobxSerialNumber() {
    return fobxSerialNumber;
  }

  public boolean isCleanedUp() {
    return cleanedUp;
  }

  public boolean isClosed() {
    return closed;
  }

  public boolean isDelayedClose() {
    return delayedClose;
  }

  @Override
  public String describe() {
    return "FOBX #" + serial + " on " + srvOpen.fcb.path();
  }
}
