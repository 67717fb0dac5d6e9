package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * SRV_OPEN: one handle on the server (or, for the local mini-redirector, one open file), shared by
 * collapsed opens of the same V_NET_ROOT with identical access. Holds one reference on its FCB and
 * one on its V_NET_ROOT.
 */
public final class SrvOpen extends RxNode {
  /** SRVOPEN_FLAG_CLOSED. */
  public static final int FLAG_CLOSED = 0x4;

  /** SRVOPEN_FLAG_CLOSE_DELAYED. */
  public static final int FLAG_CLOSE_DELAYED = 0x8;

  /** SRVOPEN_FLAG_FILE_RENAMED. */
  public static final int FLAG_FILE_RENAMED = 0x10;

  /** SRVOPEN_FLAG_FILE_DELETED. */
  public static final int FLAG_FILE_DELETED = 0x20;

  /** SRVOPEN_FLAG_COLLAPSING_DISABLED. */
  public static final int FLAG_COLLAPSING_DISABLED = 0x80;

  /** SRVOPEN_FLAG_ORPHANED. */
  public static final int FLAG_ORPHANED = 0x400;

  /** SRVOPEN_FLAG_ENCLOSED_ALLOCATED: the FCB's embedded SRV_OPEN. */
  public static final int FLAG_ENCLOSED_ALLOCATED = 0x10000;

  final Fcb fcb;
  final VNetRoot vNetRoot;
  final CreateRequest request;

  /** Flags; written under the FCB resource. */
  volatile int flags;

  /** OpenCount: opens (FOBXs) not yet closed. */
  volatile int openCount;

  /** UncleanFobxCount. */
  volatile int uncleanFobxCount;

  /** FOBXs; guarded by the FCB resource. */
  final List<Fobx> fobxs = new ArrayList<>();

  /** What MRxCreate reported it did. */
  volatile CreateResult.Action createAction = CreateResult.Action.OPENED;

  /** What the server lets us cache for this handle (MRxCreate's grant, changed by breaks). */
  volatile Set<Buffering> buffering = Set.of();

  /**
   * Whether a break changed {@link #buffering} (guarded by this SRV_OPEN's monitor): a break that
   * arrives while MRxCreate is still on its way back lowers the grant the create then reports.
   */
  boolean bufferingChanged;

  /** Whether this SRV_OPEN's spare FOBX is in use. */
  boolean embeddedFobxUsed;

  SrvOpen(Redirector rdr, Fcb fcb, VNetRoot vNetRoot, CreateRequest request, boolean enclosed) {
    super(rdr, NodeType.SRV_OPEN, 1);
    this.fcb = fcb;
    this.vNetRoot = vNetRoot;
    this.request = request;
    this.flags = enclosed ? FLAG_ENCLOSED_ALLOCATED : 0;
  }

  public Fcb fcb() {
    return fcb;
  }

  /** The mini-redirector that owns this handle. */
  public MiniRedirector miniRdr() {
    return vNetRoot.netRoot.srvCall.miniRdr;
  }

  public VNetRoot vNetRoot() {
    return vNetRoot;
  }

  /** The create request this SRV_OPEN was made for (access, sharing, options). */
  public CreateRequest request() {
    return request;
  }

  public int desiredAccess() {
    return request.desiredAccess();
  }

  public int shareAccess() {
    return request.shareAccess();
  }

  public int flags() {
    return flags;
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  public boolean isOrphaned() {
    return hasFlag(FLAG_ORPHANED) || fcb.isOrphaned();
  }

  public int openCount() {
    return openCount;
  }

  public int uncleanFobxCount() {
    return uncleanFobxCount;
  }

  /** A snapshot of the FOBXs. */
  public List<Fobx> fobxs() {
    synchronized (fobxs) {
      return List.copyOf(fobxs);
    }
  }

  /**
   * The file's attributes as the metadata cache holds them now (from a directory listing or an
   * earlier query, within the attribute lifetime), or {@code null}. A mini-redirector whose create
   * reply carries the times, sizes and attributes but not the file id (SMB2 CREATE) may take the id
   * and the server's spelling of the name from here instead of sending another query.
   */
  public FileInfo knownInformation() {
    return redirector.metadata.peekAttributes(fcb.netRoot, fcb.path());
  }

  /** What the server currently lets the client cache for this handle; empty when nothing. */
  public Set<Buffering> buffering() {
    return buffering;
  }

  /**
   * RxIndicateChangeOfBufferingStateForSrvOpen: the server broke (or changed) the caching grant of
   * this handle, for example with an oplock or lease break. The core gives up what the new state no
   * longer allows (writes held back are flushed, cached data purged, a handle kept in deferred
   * close is really closed) and then completes the returned future; the mini-redirector
   * acknowledges the break to the server only after that. The work runs on its own thread: the
   * mini-redirector may call this from its receive thread.
   */
  public CompletableFuture<Void> indicateChangeOfBufferingState(Set<Buffering> newState) {
    return redirector.bufferingOps.changeBufferingState(this, Set.copyOf(newState));
  }

  void setFlag(int flag) {
    flags |= flag;
  }

  void clearFlag(int flag) {
    flags &= ~flag;
  }

  @Override
  public String describe() {
    return "SRV_OPEN " + fcb.path() + " via " + vNetRoot.name();
  }
}
