package org.rdbss4j.smb;

import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.session.Session;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.VNetRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRV_CALL's context: the connection to one server and port, shared by every user and share of
 * that server, and the sessions on it.
 *
 * <p>When the connection is lost the SRV_CALL becomes Bad ({@link SrvCall#transportFailed}); the
 * next request that needs the server connects anew (a new generation) and makes it Good again
 * ({@link SrvCall#transportRestored}). Handles opened on a lost connection stay lost.
 */
final class SmbServer {
  private static final Logger LOG = LoggerFactory.getLogger(SmbServer.class);

  private final SrvCall srvCall;
  private final SmbOptions options;
  private final SmbStats stats;
  private final String host;
  private final int port;
  private final ReentrantLock connectLock = new ReentrantLock();
  private final byte[] secret = new byte[32];
  private final List<SmbSession> sessions = new ArrayList<>();
  private final List<CompletableFuture<Void>> releases = new ArrayList<>();
  private volatile SmbTransport current;
  private long generations;
  private volatile boolean failed;
  private volatile boolean closed;

  SmbServer(SrvCall srvCall, SmbOptions options, SmbStats stats, int defaultPort) {
    this.srvCall = srvCall;
    this.options = options;
    this.stats = stats;
    this.host = srvCall.serverName();
    this.port = srvCall.port() == 0 ? defaultPort : srvCall.port();
    new SecureRandom().nextBytes(secret);
  }

  SmbOptions options() {
    return options;
  }

  /** The live connection, connecting anew when there is none (MRxCreateSrvCall, reconnect). */
  SmbTransport transport() {
    SmbTransport t = current;
    if (t != null && t.isAlive()) {
      return t;
    }
    connectLock.lock();
    try {
      t = current;
      if (t != null && t.isAlive()) {
        return t;
      }
      if (closed) {
        throw new RxException(NtStatus.CONNECTION_DISCONNECTED, "SRV_CALL " + host + " closed");
      }
      SmbTransport n = SmbTransport.connect(host, port, options, stats, ++generations, this::lost);
      current = n;
      if (failed) {
        failed = false;
        LOG.info("reconnected to {}:{}", host, port);
        srvCall.transportRestored();
      }
      return n;
    } finally {
      connectLock.unlock();
    }
  }

  /** The connection {@code t} was lost: its sessions are gone, and the SRV_CALL is Bad. */
  private void lost(SmbTransport t) {
    synchronized (sessions) {
      sessions.removeIf(s -> s.transport == t);
    }
    if (t == current && !closed) {
      failed = true;
      srvCall.transportFailed(NtStatus.CONNECTION_DISCONNECTED);
    }
  }

  /**
   * A session for a V_NET_ROOT on connection {@code t}: the identity's session with the same
   * credentials if there is one, else a new SESSION_SETUP. Without explicit credentials the
   * options' default credentials of the caller identity are used. The password is read for the
   * logon and wiped; only a keyed digest of it is kept, to recognize the same credentials later.
   */
  SmbSession acquireSession(VNetRoot v, SmbTransport t) {
    Credentials c = v.credentials();
    if (c.isEmpty()) {
      c = options.defaultCredentials().apply(v.identity());
    }
    char[] pw = c.password();
    try {
      SmbSession.Key key = new SmbSession.Key(v.logonId(), c.userName(), c.domain());
      byte[] verifier = verifier(pw);
      synchronized (sessions) {
        for (SmbSession s : sessions) {
          if (s.serves(t, key, verifier)) {
            return s;
          }
        }
      }
      AuthenticationContext auth =
          new AuthenticationContext(c.userName(), pw, c.domain().isEmpty() ? null : c.domain());
      Session session;
      try {
        session = t.authenticate(auth);
      } finally {
        Arrays.fill(auth.getPassword(), '\0');
      }
      if (session.isGuest() && !c.userName().isEmpty()) {
        Thread.ofVirtual().start(new SmbSession(t, session, key, verifier)::logoff);
        throw new RxException(
            NtStatus.LOGON_FAILURE, "the server logged " + c.userName() + " on as guest; refused");
      }
      SmbSession s = new SmbSession(t, session, key, verifier);
      synchronized (sessions) {
        sessions.add(s);
      }
      return s;
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  /** HMAC-SHA256 of the password under this SRV_CALL's random key. */
  private byte[] verifier(char[] pw) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pw));
    byte[] b = new byte[bytes.remaining()];
    bytes.get(b);
    if (bytes.hasArray()) {
      Arrays.fill(bytes.array(), (byte) 0);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * A V_NET_ROOT is done with its tree connect and session: the tree is disconnected when no other
   * V_NET_ROOT uses it, on a worker (the core may hold its prefix table); the session stays.
   */
  void release(SmbSession s, String shareName) {
    CompletableFuture<Void> f =
        CompletableFuture.runAsync(
            () -> s.releaseTree(shareName),
            r -> Thread.ofVirtual().name("rdbss4j-smb release " + shareName).start(r));
    synchronized (releases) {
      releases.removeIf(CompletableFuture::isDone);
      releases.add(f);
    }
  }

  /**
   * MRxFinalizeSrvCall: waits for tree disconnects under way, logs every session off and closes the
   * connection.
   */
  void close() {
    closed = true;
    List<CompletableFuture<Void>> pending;
    synchronized (releases) {
      pending = List.copyOf(releases);
      releases.clear();
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(options.transactTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("tree disconnects on {} did not finish: {}", host, e.toString());
    }
    List<SmbSession> l;
    synchronized (sessions) {
      l = List.copyOf(sessions);
      sessions.clear();
    }
    for (SmbSession s : l) {
      s.logoff();
    }
    SmbTransport t = current;
    if (t != null) {
      t.close();
    }
  }

  @Override
  public String toString() {
    return "SmbServer[" + host + ":" + port + (failed ? ", lost" : "") + "]";
  }
}
