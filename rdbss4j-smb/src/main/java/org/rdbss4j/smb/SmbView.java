package org.rdbss4j.smb;

import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Share;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VNetRoot;

/**
 * The V_NET_ROOT's context: one caller identity's session and tree connect on the share. After the
 * connection to the server was lost, the next request binds the view anew: a new connection, a new
 * session with the V_NET_ROOT's credentials, a new tree connect.
 */
final class SmbView {
  /** What requests of this view are sent with: the connection, session and tree connect. */
  record Binding(SmbTransport transport, SmbSession session, long sessionId, long treeId) {
    boolean isAlive() {
      return transport.isAlive();
    }
  }

  private final SmbServer server;
  private final VNetRoot vNetRoot;
  private final String shareName;
  private Binding binding;
  private boolean released;
  private int openHandles;

  SmbView(SmbServer server, VNetRoot vNetRoot) {
    this.server = server;
    this.vNetRoot = vNetRoot;
    this.shareName = vNetRoot.netRoot().shareName();
  }

  String shareName() {
    return shareName;
  }

  /** The binding on the live connection, established (again) when needed. */
  synchronized Binding bind() {
    if (released) {
      throw new RxException(NtStatus.NETWORK_NAME_DELETED, "connection deleted: " + shareName);
    }
    Binding b = binding;
    if (b != null && b.isAlive()) {
      return b;
    }
    binding = null;
    SmbTransport t = server.transport();
    SmbSession s = server.acquireSession(vNetRoot, t);
    Share share = s.acquireTree(shareName);
    if (!(share instanceof DiskShare)) {
      server.release(s, shareName);
      throw new RxException(NtStatus.NOT_SUPPORTED, shareName + " is not a disk share");
    }
    binding = new Binding(t, s, s.session.getSessionId(), share.getTreeConnect().getTreeId());
    return binding;
  }

  /** A handle was opened through this view. */
  synchronized void handleOpened() {
    openHandles++;
  }

  /**
   * A handle of this view was closed. When the V_NET_ROOT was finalized by force its handles are
   * orphaned and closed by the core, but MRxFinalizeVNetRoot waits until the caller closes them
   * too; nothing can reach the server through the view any more, so the tree connect goes as soon
   * as the last server handle is closed.
   */
  void handleClosed() {
    boolean last;
    synchronized (this) {
      last = --openHandles == 0;
    }
    if (last && vNetRoot.isUpperFinalizationDone()) {
      release();
    }
  }

  /** MRxFinalizeVNetRoot: gives up the tree connect and the session (which stays, idle). */
  void release() {
    Binding b;
    synchronized (this) {
      released = true;
      b = binding;
      binding = null;
    }
    if (b != null) {
      server.release(b.session(), shareName);
    }
  }

  @Override
  public String toString() {
    return "SmbView[" + vNetRoot.name() + "]";
  }
}
