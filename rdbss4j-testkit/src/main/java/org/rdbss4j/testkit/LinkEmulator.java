package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 in front of a local server that behaves like a slower network link: each
 * direction carries at most {@code bytesPerSecond} and delivers every byte {@code oneWayDelay}
 * after it was sent. Clients connect to {@link #port()} instead of the server's port. It lets a
 * benchmark show what a cache saves over a link like a LAN's, where loopback's memory-speed
 * transfers hide it; the traffic stays on loopback.
 *
 * <p>Each direction has a reader thread, which stamps what it reads with its due time, and a writer
 * thread, which sends it no earlier than that and no faster than the rate (at most 16 MiB queued
 * per direction: a full queue stops the reader, which stops the sender by TCP flow control).
 * Closing the relay closes every connection. For fault tests it can also flip one bit of what the
 * server sends ({@link #corruptFromServer}), as a faulty or hostile middlebox would.
 */
public final class LinkEmulator implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;
  private static final int QUEUED_CHUNKS = 256;

  private final ServerSocket listener;
  private final int targetPort;
  private final double nanosPerByte;
  private final long delayNanos;
  private final List<Socket> sockets = new ArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;

  /** Bytes from the server to let through before the one to corrupt; -1 when not armed. */
  private final java.util.concurrent.atomic.AtomicLong corruptAfter =
      new java.util.concurrent.atomic.AtomicLong(-1);

  private LinkEmulator(int targetPort, long bytesPerSecond, Duration oneWayDelay)
      throws IOException {
    if (bytesPerSecond <= 0 || oneWayDelay.isNegative()) {
      throw new IllegalArgumentException("rate must be positive and delay not negative");
    }
    this.targetPort = targetPort;
    this.nanosPerByte = 1e9 / bytesPerSecond;
    this.delayNanos = oneWayDelay.toNanos();
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("link-accept").start(this::accept);
  }

  /**
   * Starts a relay to {@code 127.0.0.1:targetPort}.
   *
   * @param bytesPerSecond the rate of each direction (125,000,000 for 1 Gbit/s)
   * @param oneWayDelay added to every byte's trip (half the round trip)
   */
  public static LinkEmulator start(int targetPort, long bytesPerSecond, Duration oneWayDelay)
      throws IOException {
    return new LinkEmulator(targetPort, bytesPerSecond, oneWayDelay);
  }

  /**
   * Flips the lowest bit of the server's byte {@code afterBytes} bytes from now (counted over every
   * connection's server-to-client stream), once.
   */
  public void corruptFromServer(long afterBytes) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("negative offset");
    }
    corruptAfter.set(afterBytes);
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        synchronized (sockets) {
          if (closed) {
            client.close();
            server.close();
            return;
          }
          sockets.add(client);
          sockets.add(server);
        }
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** One direction: {@code from}'s input to {@code to}'s output, delayed and rate-limited. */
  private void pump(Socket from, Socket to, boolean fromServer) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    Thread.ofPlatform()
        .daemon()
        .name("link-read")
        .start(
            () -> {
              byte[] buf = new byte[CHUNK];
              try {
                for (int n; (n = in.read(buf)) > 0; ) {
                  byte[] data = Arrays.copyOf(buf, n);
                  if (fromServer) {
                    corrupt(data);
                  }
                  queue.put(new Chunk(data, System.nanoTime() + delayNanos));
                }
              } catch (IOException | InterruptedException e) {
                // the connection ends
              }
              try {
                queue.put(Chunk.END);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread.ofPlatform()
        .daemon()
        .name("link-write")
        .start(
            () -> {
              long free = System.nanoTime(); // when the link can take the next byte
              try {
                while (true) {
                  Chunk c = queue.take();
                  if (c == Chunk.END) {
                    break;
                  }
                  long start = Math.max(free, c.due());
                  waitUntil(start);
                  out.write(c.data());
                  out.flush();
                  free = start + (long) (c.data().length * nanosPerByte);
                }
                to.shutdownOutput();
              } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  /** Flips the armed byte if it lies in {@code data}, and counts {@code data} off otherwise. */
  private void corrupt(byte[] data) {
    while (true) {
      long at = corruptAfter.get();
      if (at < 0) {
        return;
      }
      if (at < data.length) {
        if (corruptAfter.compareAndSet(at, -1)) {
          data[(int) at] ^= 1;
          return;
        }
      } else if (corruptAfter.compareAndSet(at, at - data.length)) {
        return;
      }
    }
  }

  private static void waitUntil(long nanoTime) {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private record Chunk(byte[] data, long due) {
    static final Chunk END = new Chunk(new byte[0], 0);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    synchronized (sockets) {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
      sockets.clear();
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
