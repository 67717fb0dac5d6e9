package org.rdbss4j.smb;

import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.Share;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.rdbss4j.core.RxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated SMB2 session of one caller identity with one set of credentials, on one
 * connection, and its tree connects. V_NET_ROOTs of the same identity and credentials share it; it
 * is never used for another identity. When its last V_NET_ROOT goes the session stays, idle, with
 * the connection, as a Windows client keeps it, until the SRV_CALL is finalized.
 *
 * <p>A tree connect is counted per share: V_NET_ROOTs of the session on one share share it (smbj
 * keeps one per session and share name), and the last one to go disconnects it.
 */
final class SmbSession {
  private static final Logger LOG = LoggerFactory.getLogger(SmbSession.class);

  /** Who a session belongs to: the logon id, and the user and domain it logged on as. */
  record Key(long logonId, String user, String domain) {
    Key {
      user = user.toLowerCase(Locale.ROOT);
      domain = domain.toLowerCase(Locale.ROOT);
    }
  }

  final SmbTransport transport;
  final Session session;
  final Key key;

  /** A keyed digest of the password the session logged on with, to tell a reuse from a change. */
  private final byte[] verifier;

  private final Map<String, Tree> trees = new HashMap<>();

  private static final class Tree {
    final Share share;
    int users;

    Tree(Share share) {
      this.share = share;
    }
  }

  SmbSession(SmbTransport transport, Session session, Key key, byte[] verifier) {
    this.transport = transport;
    this.session = session;
    this.key = key;
    this.verifier = verifier.clone();
  }

  /** Whether a V_NET_ROOT may use this session: the same identity with the same password. */
  boolean serves(SmbTransport t, Key k, byte[] v) {
    return t == transport
        && k.equals(key)
        && MessageDigest.isEqual(verifier, v)
        && transport.isAlive();
  }

  /** The tree connect of a share for one more V_NET_ROOT: TREE_CONNECT if there is none yet. */
  synchronized Share acquireTree(String shareName) {
    String k = shareName.toLowerCase(Locale.ROOT);
    Tree t = trees.get(k);
    if (t == null || !t.share.isConnected()) {
      transport.requireAlive("tree connect to " + shareName);
      try {
        t = new Tree(session.connectShare(shareName));
      } catch (RuntimeException e) {
        RxException rx =
            SmbStatuses.toRx(e, "tree connect to \\\\" + transport.host() + "\\" + shareName);
        transport.failedOnWire(e, rx);
        throw rx;
      }
      trees.put(k, t);
    }
    t.users++;
    return t.share;
  }

  /**
   * The MaximalAccess the server reported in the share's TREE_CONNECT response, or an empty set
   * when the share is not connected.
   */
  synchronized java.util.Set<com.hierynomus.msdtyp.AccessMask> maximalAccess(String shareName) {
    Tree t = trees.get(shareName.toLowerCase(Locale.ROOT));
    return t == null ? java.util.Set.of() : t.share.getTreeConnect().getMaximalAccess();
  }

  /** Releases a V_NET_ROOT's tree connect; the last one sends TREE_DISCONNECT. */
  void releaseTree(String shareName) {
    Share last = null;
    synchronized (this) {
      String k = shareName.toLowerCase(Locale.ROOT);
      Tree t = trees.get(k);
      if (t == null) {
        return;
      }
      if (--t.users == 0) {
        trees.remove(k);
        last = t.share;
      }
    }
    if (last != null && transport.isAlive()) {
      try {
        last.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("tree disconnect of {} failed: {}", shareName, e.toString());
      }
    }
  }

  /** LOGOFF, when the connection is still there; failures are of no consequence. */
  void logoff() {
    transport.forgetSession(session.getSessionId());
    if (!transport.isAlive()) {
      return;
    }
    try {
      session.logoff();
    } catch (IOException | RuntimeException e) {
      LOG.debug("logoff of session {} failed: {}", session.getSessionId(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "SmbSession[" + key.user() + " #" + session.getSessionId() + "]";
  }
}
