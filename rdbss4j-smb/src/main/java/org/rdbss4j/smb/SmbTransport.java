package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.connection.NegotiatedProtocol;
import com.hierynomus.smbj.session.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a server, as negotiated: an smbj {@link Connection} made through a client
 * of its own (smbj's {@code SMBClient} caches connections by host and port and hands back a dead
 * one after a server restart, so no cache is shared). A SRV_CALL holds one at a time; when it is
 * lost a new one, the next generation, replaces it.
 *
 * <p>The connection is lost when the server closes it or a read fails (seen by the socket at once),
 * when a request fails on the transport, or when a request gets no answer within its timeout. Then
 * every operation still using it fails at once with CONNECTION_DISCONNECTED, the connection is
 * closed (its socket cut under a writer stuck on a frozen server) and the owner is told.
 */
final class SmbTransport {
  private static final Logger LOG = LoggerFactory.getLogger(SmbTransport.class);

  final long generation;
  private final String host;
  private final int port;
  private final SmbOptions options;
  private final WatchedSocketFactory sockets;
  private final Consumer<SmbTransport> onLost;
  private final Set<Exchange<?>> tracked = ConcurrentHashMap.newKeySet();
  private final Map<Long, Session> sessionsById = new ConcurrentHashMap<>();
  final SmbStats stats;
  final Leases leases;
  private final AtomicReference<RxException> death = new AtomicReference<>();
  private final SigningProvider signing = new SigningProvider();
  private volatile boolean closing;
  private final BreakInterceptor interceptor;
  private SMBClient client;
  private volatile Connection connection;
  private NegotiatedProtocol negotiated;

  private SmbTransport(
      String host,
      int port,
      SmbOptions options,
      SmbStats stats,
      long generation,
      Consumer<SmbTransport> onLost) {
    this.host = host;
    this.stats = stats;
    this.leases = new Leases(this, stats);
    this.interceptor =
        new BreakInterceptor(
            leases, sessionsById::get, signing, options.gmacSigning(), this::socketLost);
    this.port = port;
    this.options = options;
    this.generation = generation;
    this.onLost = onLost;
    this.sockets = new WatchedSocketFactory((int) options.connectTimeout().toMillis());
  }

  /**
   * The receive thread saw the end of the stream or a read error: noticed at once, so a server that
   * goes away is seen even while nothing is outstanding.
   */
  private void socketLost(java.io.IOException e) {
    if (connection != null) {
      lost(
          new RxException(
              NtStatus.CONNECTION_DISCONNECTED,
              "connection to " + host + ":" + port + " lost: " + e.getMessage()));
    }
  }

  /** Connects and negotiates; fails with the reason the server could not be reached. */
  static SmbTransport connect(
      String host,
      int port,
      SmbOptions options,
      SmbStats stats,
      long generation,
      Consumer<SmbTransport> onLost) {
    SmbTransport t = new SmbTransport(host, port, options, stats, generation, onLost);
    t.open();
    return t;
  }

  private void open() {
    SmbConfig config =
        SmbConfig.builder()
            .withDialects(options.dialects())
            .withSigningRequired(options.signingRequired())
            .withEncryptData(options.encryptData())
            .withDfsEnabled(false)
            .withReadTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .withWriteTimeout(options.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .withTransactTimeout(options.transactTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .withSoTimeout(options.socketTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .withSocketFactory(sockets)
            .withSecurityProvider(signing)
            .withTransportLayerFactory(interceptor)
            .build();
    client = new SMBClient(config);
    try {
      Connection c = client.connect(host, port);
      // An extra lease makes smbj's own close on a read error a no-op (it would try to log every
      // session off over the broken socket); this class closes the connection when it is lost.
      c.lease();
      negotiated = c.getNegotiatedProtocol();
      connection = c;
    } catch (IOException | RuntimeException e) {
      closing = true;
      sockets.cut();
      client.close();
      throw SmbStatuses.toRx(e, "connecting to " + host + ":" + port);
    }
    LOG.debug("connected to {}:{} ({}), generation {}", host, port, dialect(), generation);
  }

  SMB2Dialect dialect() {
    return negotiated.getDialect();
  }

  /** The largest READ to send: the negotiated maximum, capped by the options. */
  int maxReadSize() {
    return cap(negotiated.getMaxReadSize(), options.maxReadSize());
  }

  /** The largest WRITE to send. */
  int maxWriteSize() {
    return cap(negotiated.getMaxWriteSize(), options.maxWriteSize());
  }

  /** The largest output of a query or notification. */
  int maxTransactSize() {
    return cap(negotiated.getMaxTransactSize(), 1 << 20);
  }

  private static int cap(int negotiatedSize, int configured) {
    return configured > 0 ? Math.min(negotiatedSize, configured) : negotiatedSize;
  }

  SmbOptions options() {
    return options;
  }

  String host() {
    return host;
  }

  boolean isAlive() {
    return death.get() == null && connection.isConnected();
  }

  /** Fails with CONNECTION_DISCONNECTED once the connection is lost. */
  void requireAlive(String what) {
    RxException d = death.get();
    if (d == null && !connection.isConnected()) {
      lost(new RxException(NtStatus.CONNECTION_DISCONNECTED, "connection to " + host + " closed"));
      d = death.get();
    }
    if (d != null) {
      throw new RxException(
          NtStatus.CONNECTION_DISCONNECTED, what + ": " + d.getMessage(), closing ? null : d);
    }
  }

  /**
   * Closes the socket at once, without the bookkeeping of {@link #lost}: the receive thread then
   * fails and reports the loss. For a fill into a caller's buffer that has to end now.
   */
  void cutSocket() {
    sockets.cut();
  }

  /** READs registered for delivery into a caller's buffer and not answered yet (for tests). */
  int pendingDirectReads() {
    return interceptor.pendingDirectReads();
  }

  /** A session logged off: breaks no longer name it. */
  void forgetSession(long sessionId) {
    sessionsById.remove(sessionId);
  }

  /** SESSION_SETUP: authenticates a new session on this connection. */
  Session authenticate(AuthenticationContext auth) {
    requireAlive("session setup");
    try {
      Session s = connection.authenticate(auth);
      sessionsById.put(s.getSessionId(), s);
      return s;
    } catch (RuntimeException e) {
      RxException rx = SmbStatuses.toRx(e, "session setup for " + auth.getUsername());
      failedOnWire(e, rx);
      throw rx;
    }
  }

  /** Sends a request on a session; failures to send mean the connection is lost. */
  <P extends SMB2Packet> Future<P> send(Session session, SMB2Packet req, String what) {
    requireAlive(what);
    try {
      if (signs(session)) {
        return session.send(req);
      }
      // smbj signs whenever it holds a key; MS-SMB2 3.2.4.1.1 requires it only when
      // Session.SigningRequired (or for 3.1.1 tree connects, which smbj sends itself)
      return connection.send(req);
    } catch (Exception e) {
      RxException rx = SmbStatuses.toRx(e, what);
      failedOnWire(e, rx);
      throw rx;
    }
  }

  /**
   * The algorithm that signs this connection's messages where they are signed: AES-128-GMAC when
   * SMB 3.1.1 negotiated it, AES-128-CMAC on other SMB 3.x, HMAC-SHA256 on SMB 2.x.
   */
  String signingAlgorithm() {
    if (signing.gmac()) {
      return "AES-128-GMAC";
    }
    NegotiatedProtocol n = negotiated;
    return n != null && n.getDialect().isSmb3x() ? "AES-128-CMAC" : "HMAC-SHA256";
  }

  /** Message signatures computed or verified on this connection so far. */
  long signatures() {
    return signing.signatures();
  }

  /** Whether requests on this session are signed (or encrypted, which smbj also does in send). */
  boolean signs(Session session) {
    return options.signAlways()
        || options.encryptData()
        || session.isSigningRequired()
        || session.getSessionContext().isEncryptData();
  }

  /**
   * A synchronous smbj call failed: a transport failure or timeout means the connection is lost.
   */
  void failedOnWire(Throwable e, RxException rx) {
    if (rx.status() == NtStatus.IO_TIMEOUT || SmbStatuses.isTransportFailure(e)) {
      lost(rx);
    }
  }

  void track(Exchange<?> ex) {
    tracked.add(ex);
    if (death.get() != null) {
      ex.fail(new RxException(NtStatus.CONNECTION_DISCONNECTED, "connection to " + host + " lost"));
    }
  }

  void untrack(Exchange<?> ex) {
    tracked.remove(ex);
  }

  /**
   * The connection is lost: every operation on it fails with CONNECTION_DISCONNECTED, the
   * connection is closed on a worker and the owner is told, once.
   */
  void lost(RxException cause) {
    lost(cause, null);
  }

  /**
   * As {@link #lost(RxException)}, where {@code culprit} (the operation that found the server not
   * answering) is left to fail with its own status. The owner is told first, so that whoever sees a
   * request fail sees the SRV_CALL Bad.
   */
  void lost(RxException cause, Exchange<?> culprit) {
    if (!death.compareAndSet(null, cause)) {
      return;
    }
    if (!closing) {
      LOG.warn("connection to {}:{} lost: {}", host, port, cause.getMessage());
      onLost.accept(this);
    }
    RxException rx =
        new RxException(
            NtStatus.CONNECTION_DISCONNECTED,
            "connection to " + host + ":" + port + " lost (" + cause.getMessage() + ")");
    for (Exchange<?> ex : List.copyOf(tracked)) {
      if (ex != culprit) {
        ex.fail(rx);
      }
    }
    Thread.ofVirtual().name("rdbss4j-smb disconnect " + host).start(this::disconnect);
  }

  /**
   * Disconnects smbj's transport, which stops its reader quietly; if a writer blocked on a frozen
   * server holds the transport's lock, the socket is cut under it first.
   */
  private void disconnect() {
    Thread closer = Thread.ofVirtual().start(this::forceClose);
    try {
      if (!closer.join(Duration.ofMillis(250))) {
        sockets.cut();
        closer.join(options.transactTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sockets.cut();
  }

  /** Closes the connection without a word to the server (its sessions go with it). */
  void close() {
    closing = true;
    lost(new RxException(NtStatus.CONNECTION_DISCONNECTED, "connection closed"));
  }

  private void forceClose() {
    try {
      connection.close(true);
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the connection to {} failed: {}", host, e.toString());
    }
  }

  @Override
  public String toString() {
    return "SmbTransport["
        + host
        + ":"
        + port
        + " #"
        + generation
        + (isAlive() ? "" : ", lost")
        + "]";
  }
}
