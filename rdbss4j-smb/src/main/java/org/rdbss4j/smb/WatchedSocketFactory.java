package org.rdbss4j.smb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * The socket factory of one server connection: connects with a timeout, keeps the socket so that
 * the connection can be cut at once (closing the socket unblocks smbj's reader and any writer stuck
 * on a frozen server, which smbj's own disconnect would wait for), and reports the end of the
 * stream or a read error the moment smbj's reader sees it, so a server that goes away is noticed
 * even while nothing is outstanding.
 */
final class WatchedSocketFactory extends SocketFactory {
  private final int connectTimeoutMillis;
  private final Consumer<IOException> onLost;
  private volatile Socket socket;

  WatchedSocketFactory(int connectTimeoutMillis, Consumer<IOException> onLost) {
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.onLost = onLost;
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
    WatchedSocket s = new WatchedSocket();
    socket = s;
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(address, connectTimeoutMillis);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** A socket whose input stream reports the end of the stream and read errors. */
  private final class WatchedSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new WatchedStream(super.getInputStream());
      }
      return in;
    }
  }

  private final class WatchedStream extends FilterInputStream {
    WatchedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b < 0) {
          onLost.accept(new IOException("the server closed the connection"));
        }
        return b;
      } catch (IOException e) {
        onLost.accept(e);
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n < 0) {
          onLost.accept(new IOException("the server closed the connection"));
        }
        return n;
      } catch (IOException e) {
        onLost.accept(e);
        throw e;
      }
    }
  }
}
