package org.rdbss4j.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.service.protocol.Frames;
import org.rdbss4j.service.protocol.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads frames in turn and answers each. A bad frame gets an error reply; a
 * frame whose length is out of range also ends the connection (the stream is out of step). A
 * streaming request (watch) ends the connection when it ends.
 */
final class ClientSession {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  private final SocketChannel ch;
  private final Requests requests;
  private final CallerIdentity identity;
  private volatile boolean ended;

  ClientSession(SocketChannel ch, Requests requests, CallerIdentity identity) {
    this.ch = ch;
    this.requests = requests;
    this.identity = identity;
  }

  CallerIdentity identity() {
    return identity;
  }

  /** Sends one message; serialized so streamed and final messages never interleave. */
  synchronized void send(Map<String, ?> message) throws IOException {
    Frames.write(ch, message);
  }

  /** Marks the connection as finished after the current request. */
  void end() {
    ended = true;
  }

  /**
   * Watches for the client going away while a request streams: reads (and drops) anything the
   * client sends; at end of stream runs {@code onGone}. Call only from a request that ends the
   * session.
   */
  void onClientGone(Runnable onGone) {
    end();
    Thread.ofVirtual()
        .start(
            () -> {
              ByteBuffer b = ByteBuffer.allocate(256);
              try {
                while (ch.read(b.clear()) >= 0) {
                  // nothing is expected while a request streams
                }
              } catch (IOException e) {
                LOG.debug("client read ended: {}", e.toString());
              }
              onGone.run();
            });
  }

  void run() throws IOException {
    while (!ended) {
      Map<String, Object> msg;
      try {
        msg = Frames.read(ch);
      } catch (Frames.FrameException e) {
        LOG.warn("bad frame from a client: {}", e.getMessage());
        send(Protocol.error(null, NtStatus.INVALID_PARAMETER, "bad frame: " + e.getMessage()));
        if (e.fatal()) {
          return;
        }
        continue;
      }
      if (msg == null) {
        return;
      }
      requests.handle(this, msg);
    }
  }
}
