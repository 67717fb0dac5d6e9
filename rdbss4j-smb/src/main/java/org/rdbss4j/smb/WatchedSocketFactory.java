package org.rdbss4j.smb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.SocketFactory;

/**
 * The socket factory of one server connection: connects with a timeout, makes sockets of channels
 * (so {@link SmbSocketTransport} can move data between the socket and direct buffers without a
 * copy), keeps the socket so that the connection can be cut at once (closing the socket unblocks
 * the receive thread and any writer stuck on a frozen server, which smbj's own disconnect would
 * wait for).
 */
final class WatchedSocketFactory extends SocketFactory {
  private final int connectTimeoutMillis;
  private volatile Socket socket;

  WatchedSocketFactory(int connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Closes the socket, if one was made; never blocks on the peer. */
  void cut() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing a socket that is already broken
      }
    }
  }

  @Override
  public Socket createSocket() {
    throw new UnsupportedOperationException("unconnected sockets are not used");
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connect(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connect(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connect(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connect(new InetSocketAddress(address, port));
  }

  private Socket connect(InetSocketAddress address) throws IOException {
    SocketChannel ch = SocketChannel.open();
    Socket s = ch.socket();
    socket = s;
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(address, connectTimeoutMillis);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return s;
  }
}
