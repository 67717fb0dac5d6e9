package org.rdbss4j.smb;

import static com.hierynomus.mssmb2.SMB2PacketHeader.SIGNATURE_OFFSET;
import static com.hierynomus.mssmb2.SMB2PacketHeader.SIGNATURE_SIZE;
import static org.rdbss4j.smb.Wire.isSmb2;
import static org.rdbss4j.smb.Wire.u16;
import static org.rdbss4j.smb.Wire.u32;
import static org.rdbss4j.smb.Wire.u64;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.SMB2PacketHeader;
import com.hierynomus.mssmb2.messages.SMB2NegotiateRequest;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.protocol.transport.PacketHandlers;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.protocol.transport.TransportLayer;
import com.hierynomus.security.Mac;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smb.SMBPacket;
import com.hierynomus.smb.SMBPacketData;
import com.hierynomus.smbj.connection.PacketSignatory;
import com.hierynomus.smbj.session.Session;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import javax.crypto.SecretKey;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMB2 over TCP (direct hosting, port 445 framing: a 4-byte length before each message), in place
 * of smbj's {@code DirectTcpTransport}, with one difference: the data of a READ response whose
 * request carried a {@link DirectRead} is read from the socket straight into the caller's buffer.
 * smbj reads every message into a new array and then copies a READ's data into another, both of the
 * response's size (1 MiB arrays are humongous objects for G1); here a response reaches smbj without
 * its data (DataLength 0), so smbj still matches it to its request, grants its credits and checks
 * its status and flags as for any other message.
 *
 * <p>Delivered this way only: an SMB2 (not transformed: encrypted messages are decrypted inside
 * smbj) final READ response with STATUS_SUCCESS, not compounded, whose data lies inside the message
 * and fits the slice. A signed one has its signature checked here on the way, with the session's
 * key and the connection's MAC, and reaches smbj without its data, signed anew (smbj checks that
 * signature as any other); one whose signature does not match ends the connection. Every other
 * message goes to smbj whole, as before.
 *
 * <p>Sending, the data of an unsigned WRITE ({@link WritePayload.Request}) goes to the socket from
 * the caller's buffer after the serialized header, not copied into the packet first: a direct
 * buffer in one gathering write with no copy in user space, a heap one through one staging direct
 * buffer of the connection (the copy the JDK would make into a temporary direct buffer anyway).
 *
 * <p>The socket is a channel's ({@link WatchedSocketFactory} makes them), read through its stream
 * (which keeps {@code soTimeout}) except for READ data going into a direct buffer, which is read
 * from the channel straight into it. The end of the stream or a read error is reported to the
 * connection's SmbTransport before smbj hears of it.
 */
final class SmbSocketTransport implements TransportLayer<SMBPacket<?, ?>> {
  private static final Logger LOG = LoggerFactory.getLogger(SmbSocketTransport.class);

  /** SMB2 header and the fixed part of a READ response ([MS-SMB2] 2.2.20). */
  static final int READ_HEAD = 64 + 16;

  private static final int SMB2_READ = 0x0008;
  private static final long STATUS_PENDING = NtStatus.STATUS_PENDING.getValue() & 0xFFFFFFFFL;
  private static final int FLAGS_SIGNED = 0x0000_0008;
  private static final int INPUT_BUFFER = 64 * 1024;

  /** A fill of a caller's buffer reads in pieces of this size and can be stopped between them. */
  static final int FILL_PIECE = 64 * 1024;

  private final SocketFactory sockets;
  private final int soTimeout;
  private final PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> handlers;
  private final Consumer<IOException> onLost;
  private final Map<Long, DirectRead> reads = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Socket socket;
  private SocketChannel channel;

  /** The staging buffer of outgoing messages; grows to the largest sent. Under the write lock. */
  private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

  private Reader reader;

  /** The connection's signing provider: its MACs check signed READ responses read directly. */
  private final SigningProvider signing;

  /** Whether NEGOTIATE offers AES-GMAC ({@link NegotiateSigning}). */
  private final boolean offerGmac;

  /** The connection's sessions by id (their signing keys), or null for none. */
  private final LongFunction<Session> sessions;

  SmbSocketTransport(
      SocketFactory sockets,
      int soTimeout,
      PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> handlers,
      SigningProvider signing,
      boolean offerGmac,
      LongFunction<Session> sessions,
      Consumer<IOException> onLost) {
    this.signing = signing;
    this.offerGmac = offerGmac;
    this.sessions = sessions;
    this.sockets = sockets;
    this.soTimeout = soTimeout;
    this.handlers = handlers;
    this.onLost = onLost;
  }

  @Override
  public void connect(InetSocketAddress remote) throws IOException {
    Socket s = sockets.createSocket(remote.getHostString(), remote.getPort());
    SocketChannel ch = s.getChannel();
    if (ch == null) {
      s.close();
      throw new IOException("the socket factory made a socket without a channel");
    }
    s.setSoTimeout(soTimeout);
    writeLock.lock();
    try {
      channel = ch;
      socket = s;
      reader = new Reader(remote.getHostString(), s.getInputStream(), ch);
      reader.thread.start();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void write(SMBPacket<?, ?> packet) throws TransportException {
    // a blocking write on a channel closes it if the writing thread's interrupt flag is set (an
    // interruptible channel): a caller interrupted for its own reasons must not end the
    // connection of every user of this server. The flag is put back afterwards.
    boolean interrupted = Thread.interrupted();
    writeLock.lock();
    try {
      if (!isConnected()) {
        throw new TransportException("cannot send " + packet + ": the transport is disconnected");
      }
      Long directId = null;
      SMBPacket<?, ?> inner =
          packet instanceof PacketSignatory.SignedPacketWrapper w ? w.getPacket() : packet;
      if (inner instanceof DirectRead.Request r) {
        // before the message is on the wire, so before the server can answer it
        directId = r.getHeader().getMessageId();
        reads.put(directId, r.direct);
      }
      WritePayload payload = null;
      if (packet instanceof WritePayload.Request w) {
        // unsigned and unencrypted (those arrive wrapped): the data goes from the caller's buffer
        payload = w.payload;
        payload.gather();
      }
      try {
        Buffer<?> data = handlers.getSerializer().write(packet);
        if (offerGmac && packet instanceof SMB2NegotiateRequest negotiate) {
          NegotiateSigning.offer(data, negotiate);
        }
        ByteBuffer gathered = payload == null ? null : payload.gathered();
        int tail = gathered == null ? 0 : gathered.remaining();
        int size = data.available() + tail;
        boolean stageTail = tail > 0 && !gathered.isDirect();
        ByteBuffer o = stage(4 + data.available() + (stageTail ? tail : 0));
        o.put((byte) 0).put((byte) (size >> 16)).put((byte) (size >> 8)).put((byte) size);
        o.put(data.array(), data.rpos(), data.available());
        if (stageTail) {
          o.put(gathered);
        }
        o.flip();
        if (tail > 0 && !stageTail) {
          ByteBuffer[] both = {o, gathered.duplicate()};
          while (both[1].hasRemaining()) {
            channel.write(both);
          }
        } else {
          while (o.hasRemaining()) {
            channel.write(o);
          }
        }
      } catch (IOException e) {
        forget(directId);
        throw new TransportException(e);
      } catch (RuntimeException e) {
        forget(directId);
        throw e;
      }
    } finally {
      writeLock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The staging buffer, cleared, with room for {@code n} bytes. Under the write lock. */
  private ByteBuffer stage(int n) {
    if (out.capacity() < n) {
      out = ByteBuffer.allocateDirect(Math.max(n, 2 * out.capacity()));
    }
    return out.clear();
  }

  private void forget(Long directId) {
    if (directId != null) {
      reads.remove(directId);
    }
  }

  @Override
  public void disconnect() throws IOException {
    writeLock.lock();
    try {
      Socket s = socket;
      if (s == null) {
        return;
      }
      socket = null;
      if (reader != null) {
        reader.stopped = true;
      }
      s.close();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public boolean isConnected() {
    Socket s = socket;
    return s != null && s.isConnected() && !s.isClosed();
  }

  /** Direct reads registered and not yet answered (for tests). */
  int pendingDirectReads() {
    return reads.size();
  }

  /** The receive thread: reads message after message and hands each to smbj's receiver. */
  private final class Reader implements Runnable {
    final Thread thread;
    private final InputStream in;
    private final SocketChannel ch;
    private final byte[] buf = new byte[INPUT_BUFFER];

    /** The NetBIOS session header of the message being read. */
    private final byte[] nb = new byte[4];

    /** Bytes of a message that go nowhere (or only through a signed response's MAC). */
    private final byte[] scratch = new byte[FILL_PIECE];

    private int pos;
    private int lim;
    private volatile boolean stopped;

    Reader(String host, InputStream in, SocketChannel ch) {
      this.in = in;
      this.ch = ch;
      this.thread = new Thread(this, "Packet Reader for " + host);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      while (!stopped) {
        SMBPacketData<?> packet;
        try {
          packet = readPacket();
        } catch (Throwable e) {
          // any failure ends the connection visibly: a receive thread that died silently would
          // leave every request on it waiting for its own timeout
          if (stopped) {
            return;
          }
          IOException io = e instanceof IOException x ? x : new IOException(e);
          onLost.accept(io);
          LOG.debug("receive thread ends: {}", io.toString());
          handlers.getReceiver().handleError(new TransportException(io));
          return;
        }
        try {
          handlers.getReceiver().handle(packet);
        } catch (Throwable e) {
          if (stopped) {
            return;
          }
          onLost.accept(new IOException("the receiver failed: " + e, e));
          LOG.debug("receive thread ends: {}", e.toString());
          handlers.getReceiver().handleError(e);
          return;
        }
      }
    }

    private SMBPacketData<?> readPacket() throws IOException, Buffer.BufferException {
      readFully(nb, 0, 4);
      int length = ((nb[1] & 0xFF) << 16) | ((nb[2] & 0xFF) << 8) | (nb[3] & 0xFF);
      byte[] head = new byte[Math.min(length, READ_HEAD)];
      readFully(head, 0, head.length);
      // every final READ response ends its registration, an error (shorter) one too
      DirectRead d =
          head.length >= 64 && isSmb2(head) && u16(head, 12) == SMB2_READ ? takeRead(head) : null;
      if (d != null && head.length == READ_HEAD && deliverable(head, length, d)) {
        // a signed one is checked on the way with the session's MAC, made before the claim: when
        // there is none (an unknown session, no key) the response goes to smbj whole
        boolean signed = (u32(head, 16) & FLAGS_SIGNED) != 0;
        Mac mac = signed ? sessionMac(head) : null;
        ByteBuffer target = signed && mac == null ? null : d.claim();
        if (target != null) {
          return direct(head, length, d, target, mac);
        }
      }
      byte[] packet = Arrays.copyOf(head, length);
      readFully(packet, head.length, length - head.length);
      if (offerGmac) {
        SMBPacketData<?> negotiate = NegotiateSigning.accept(packet, signing);
        if (negotiate != null) {
          return negotiate;
        }
      }
      return handlers.getPacketFactory().read(packet);
    }

    /** The registration of a READ's final response (an interim STATUS_PENDING one keeps it). */
    private DirectRead takeRead(byte[] head) {
      if ((u32(head, 8) & 0xFFFFFFFFL) == STATUS_PENDING) {
        return null;
      }
      return reads.remove(u64(head, 24));
    }

    /** A successful, uncompounded response whose data lies inside it and fits the slice. */
    private boolean deliverable(byte[] head, int length, DirectRead d) {
      int dataOffset = head[66] & 0xFF;
      long dataLength = u32(head, 68) & 0xFFFFFFFFL;
      return u32(head, 8) == 0
          && u32(head, 20) == 0
          && dataOffset >= READ_HEAD
          && dataOffset + dataLength <= length
          && dataLength <= d.capacity();
    }

    /** The keyed MAC of the response's session, or null (an unknown session, no key, no MAC). */
    private Mac sessionMac(byte[] head) throws Buffer.BufferException {
      Session session = sessions == null ? null : sessions.apply(u64(head, 40));
      if (session == null) {
        return null;
      }
      SMB2PacketHeader h = new SMB2PacketHeader();
      h.readFrom(new SMBBuffer(head));
      SecretKey key = session.getSigningKey(h, false);
      if (key == null) {
        return null;
      }
      try {
        return signing.keyed(key);
      } catch (com.hierynomus.security.SecurityException | RuntimeException e) {
        LOG.debug("no MAC for {}: {}", key.getAlgorithm(), e.toString());
        return null;
      }
    }

    /**
     * A READ response whose data goes from the socket into the caller's buffer; smbj then gets the
     * response without its data (DataLength 0). A signed one ({@code mac} not null) has its
     * signature checked on the way: the whole message goes through the session's MAC (the header
     * with its signature field zeroed, the data as it lands in the caller's buffer), and smbj gets
     * it signed anew by the same key, checking that signature as it checks every other. A signature
     * that does not match ends the connection, as Windows does: the read fails and every request on
     * the connection fails at once. The bytes that came before the check are in the caller's buffer
     * past its position, as a failed read may leave anything there; the read never reports them
     * (nor does the data cache keep them). What a revocation stopped is read and dropped with the
     * rest of the message.
     */
    private SMBPacketData<?> direct(
        byte[] head, int length, DirectRead d, ByteBuffer target, Mac mac)
        throws IOException, Buffer.BufferException {
      int dataOffset = head[66] & 0xFF;
      int dataLength = u32(head, 68);
      byte[] received = null;
      int n = -1;
      int read = 0;
      int filled = 0;
      try {
        if (mac != null) {
          received = Arrays.copyOfRange(head, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_SIZE);
          Arrays.fill(head, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_SIZE, (byte) 0);
          mac.update(head, 0, READ_HEAD);
        }
        feed(mac, dataOffset - READ_HEAD);
        while (read < dataLength) {
          int k = Math.min(FILL_PIECE, dataLength - read);
          if (filled == read && d.keepFilling()) {
            readInto(target, read, k);
            filled += k;
            if (mac != null) {
              int at = target.position() + read;
              if (target.hasArray()) {
                mac.update(target.array(), target.arrayOffset() + at, k);
              } else {
                target.get(at, scratch, 0, k);
                mac.update(scratch, 0, k);
              }
            }
          } else {
            feed(mac, k); // revoked: read (and signed) but goes nowhere
          }
          read += k;
        }
        feed(mac, length - dataOffset - dataLength);
        // HMAC-SHA256 (SMB 2.x) gives 32 bytes: the signature is its first 16
        if (mac != null
            && !java.security.MessageDigest.isEqual(
                Arrays.copyOf(mac.doFinal(), SIGNATURE_SIZE), received)) {
          throw new IOException(
              "the signature of a READ response (message " + u64(head, 24) + ") does not match");
        }
        n = filled == dataLength ? dataLength : -1;
      } finally {
        d.finish(n);
      }
      head[66] = (byte) READ_HEAD; // DataOffset: just past the fixed part
      Arrays.fill(head, 68, 72, (byte) 0); // DataLength 0
      if (mac != null) {
        // doFinal left the MAC keyed and empty: the shortened response's signature
        mac.update(head, 0, READ_HEAD);
        System.arraycopy(mac.doFinal(), 0, head, SIGNATURE_OFFSET, SIGNATURE_SIZE);
      }
      return handlers.getPacketFactory().read(head);
    }

    /** Reads {@code n} bytes of the message that go nowhere, through the MAC if there is one. */
    private void feed(Mac mac, int n) throws IOException {
      while (n > 0) {
        int k = Math.min(scratch.length, n);
        readFully(scratch, 0, k);
        if (mac != null) {
          mac.update(scratch, 0, k);
        }
        n -= k;
      }
    }

    /**
     * {@code n} bytes into {@code target} at {@code from} past its position (the buffer is not
     * moved).
     */
    private void readInto(ByteBuffer target, int from, int n) throws IOException {
      int at = target.position() + from;
      int buffered = Math.min(lim - pos, n);
      target.put(at, buf, pos, buffered);
      pos += buffered;
      int done = buffered;
      if (done == n) {
        return;
      }
      if (target.hasArray()) {
        readFully(target.array(), target.arrayOffset() + at + done, n - done);
        return;
      }
      // a direct buffer: from the socket straight into it
      ByteBuffer into = target.duplicate().limit(at + n).position(at + done);
      while (into.hasRemaining()) {
        if (ch.read(into) < 0) {
          throw new EOFException("the server closed the connection");
        }
      }
    }

    /** Reads exactly {@code n} bytes, through the input buffer for small reads. */
    private void readFully(byte[] b, int off, int n) throws IOException {
      while (n > 0) {
        if (pos < lim) {
          int k = Math.min(lim - pos, n);
          System.arraycopy(buf, pos, b, off, k);
          pos += k;
          off += k;
          n -= k;
        } else if (n >= buf.length) {
          int k = in.read(b, off, n);
          if (k < 0) {
            throw new EOFException("the server closed the connection");
          }
          off += k;
          n -= k;
        } else {
          int k = in.read(buf, 0, buf.length);
          if (k < 0) {
            throw new EOFException("the server closed the connection");
          }
          pos = 0;
          lim = k;
        }
      }
    }
  }
}
