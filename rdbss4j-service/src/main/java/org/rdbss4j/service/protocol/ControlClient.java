package org.rdbss4j.service.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The client side of the control protocol (the network-provider library of {@code rdr}): one
 * connection to rdrd's socket, requests sent in turn, streamed messages handed to a callback.
 */
public final class ControlClient implements AutoCloseable {
  private final SocketChannel channel;
  private final AtomicLong ids = new AtomicLong();

  private ControlClient(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects to the socket; fails as {@link SocketChannel#connect} does (absent, refused). */
  public static ControlClient connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return new ControlClient(ch);
  }

  /** A request for {@code op} with the next id. */
  public Map<String, Object> request(String op) {
    return Protocol.request(op, ids.incrementAndGet());
  }

  /** Sends a request and returns its final reply, ignoring streamed messages. */
  public Map<String, Object> call(Map<String, Object> request) throws IOException {
    return call(request, m -> {});
  }

  /** Sends a request, hands each streamed message to {@code onStream}, returns the final reply. */
  public Map<String, Object> call(
      Map<String, Object> request, Consumer<Map<String, Object>> onStream) throws IOException {
    try {
      Frames.write(channel, request);
    } catch (IOException e) {
      Map<String, Object> refusal = readQuietly();
      if (refusal != null && Protocol.isFinal(refusal)) {
        return refusal;
      }
      throw e;
    }
    while (true) {
      Map<String, Object> m = read();
      if (m == null) {
        throw new IOException("rdrd closed the connection");
      }
      if (Protocol.isFinal(m)) {
        return m;
      }
      onStream.accept(m);
    }
  }

  /** Reads the next message; {@code null} at end of stream. */
  public Map<String, Object> read() throws IOException {
    try {
      return Frames.read(channel);
    } catch (Frames.FrameException e) {
      throw new IOException("bad frame from rdrd: " + e.getMessage(), e);
    }
  }

  /** A reply rdrd sent before closing (a refusal), or null. */
  private Map<String, Object> readQuietly() {
    try {
      return read();
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes raw bytes, for tests of the service's handling of bad frames. */
  public void writeRaw(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
