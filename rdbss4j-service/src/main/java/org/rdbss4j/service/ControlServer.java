package org.rdbss4j.service;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.service.protocol.Frames;
import org.rdbss4j.service.protocol.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix domain socket, mode 0600, whose every peer is checked with {@code
 * SO_PEERCRED}; a peer that is not the service's own user gets an ACCESS_DENIED reply and is
 * disconnected. Each accepted connection is served by a {@link ClientSession} on a virtual thread.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  private final Path socket;
  private final Requests requests;
  private ServerSocketChannel server;
  private UserPrincipal owner;
  private Thread acceptor;

  public ControlServer(Path socket, Requests requests) {
    this.socket = socket;
    this.requests = requests;
  }

  /** Binds the socket (replacing a stale file) and starts accepting. */
  public void start() throws IOException {
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    owner = Files.getOwner(socket);
    acceptor = Thread.ofPlatform().name("rdrd-accept").daemon().start(this::acceptLoop);
    LOG.info("listening on {} for {}", socket, owner.getName());
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        Thread.ofVirtual().name("rdrd-client").start(() -> serve(ch));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warn("accept failed: {}", e.toString());
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!owner.equals(peer.user())) {
        LOG.warn("refused a connection from user {}", peer.user().getName());
        Frames.write(
            ch,
            Protocol.error(
                null,
                NtStatus.ACCESS_DENIED,
                "rdrd serves only its own user, "
                    + owner.getName()
                    + ", not "
                    + peer.user().getName()));
        return;
      }
      new ClientSession(ch, requests, requests.identityOf(peer)).run();
    } catch (IOException e) {
      LOG.debug("client connection ended: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("closing the socket: {}", e.toString());
    }
  }
}
