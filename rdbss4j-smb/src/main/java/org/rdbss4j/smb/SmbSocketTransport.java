package org.rdbss4j.smb;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.protocol.transport.PacketHandlers;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.protocol.transport.TransportLayer;
import com.hierynomus.smb.SMBPacket;
import com.hierynomus.smb.SMBPacketData;
import com.hierynomus.smbj.transport.PacketReader;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.SocketFactory;

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
 * smbj) final READ response with STATUS_SUCCESS, not signed (a signature covers the data, which
 * smbj must see to check it), not compounded, whose data lies inside the message and fits the
 * slice. Every other message goes to smbj whole, as before.
 *
 * <p>Sending, the data of an unsigned WRITE ({@link WritePayload.Request}) is written to the socket
 * from the caller's array after the serialized header, not copied into the packet first.
 */
final class SmbSocketTransport implements TransportLayer<SMBPacket<?, ?>> {
  /** SMB2 header and the fixed part of a READ response ([MS-SMB2] 2.2.20). */
  static final int READ_HEAD = 64 + 16;

  private static final int SMB2_READ = 0x0008;
  private static final long STATUS_PENDING = NtStatus.STATUS_PENDING.getValue() & 0xFFFFFFFFL;
  private static final int FLAGS_SIGNED = 0x0000_0008;
  private static final int BUFFER_SIZE = 9000;

  private final SocketFactory sockets;
  private final int soTimeout;
  private final PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> handlers;
  private final Map<Long, DirectRead> reads = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Socket socket;
  private BufferedOutputStream output;
  private Reader reader;

  SmbSocketTransport(
      SocketFactory sockets,
      int soTimeout,
      PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> handlers) {
    this.sockets = sockets;
    this.soTimeout = soTimeout;
    this.handlers = handlers;
  }

  @Override
  public void connect(InetSocketAddress remote) throws IOException {
    Socket s = sockets.createSocket(remote.getHostString(), remote.getPort());
    s.setSoTimeout(soTimeout);
    writeLock.lock();
    try {
      output = new BufferedOutputStream(s.getOutputStream(), BUFFER_SIZE);
      socket = s;
      reader = new Reader(remote.getHostString(), s.getInputStream());
      reader.start();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void write(SMBPacket<?, ?> packet) throws TransportException {
    writeLock.lock();
    try {
      if (!isConnected()) {
        throw new TransportException("cannot send " + packet + ": the transport is disconnected");
      }
      Long directId = null;
      if (packet instanceof DirectRead.Request r) {
        // before the message is on the wire, so before the server can answer it
        directId = r.getHeader().getMessageId();
        reads.put(directId, r.direct);
      }
      WritePayload payload = null;
      if (packet instanceof WritePayload.Request w) {
        // unsigned and unencrypted (those arrive wrapped): the data goes from the caller's array
        payload = w.payload;
        payload.gather();
      }
      try {
        Buffer<?> data = handlers.getSerializer().write(packet);
        int gathered = payload == null ? 0 : payload.getLastWriteSize();
        int size = data.available() + gathered;
        output.write(0);
        output.write(size >> 16);
        output.write(size >> 8);
        output.write(size);
        output.write(data.array(), data.rpos(), data.available());
        if (gathered > 0) {
          output.write(payload.gathered(), payload.gatheredFrom(), gathered);
        }
        output.flush();
      } catch (IOException e) {
        forget(directId);
        throw new TransportException(e);
      } catch (RuntimeException e) {
        forget(directId);
        throw e;
      }
    } finally {
      writeLock.unlock();
    }
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
        reader.stop();
      }
      try {
        output.close();
      } finally {
        s.close();
      }
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

  private final class Reader extends PacketReader<SMBPacketData<?>> {
    private final byte[] scratch = new byte[64 * 1024];

    Reader(String host, InputStream in) {
      super(host, in, handlers.getReceiver());
    }

    @Override
    protected SMBPacketData<?> doRead() throws TransportException {
      try {
        readFully(scratch, 0, 4);
        int length = ((scratch[1] & 0xFF) << 16) | ((scratch[2] & 0xFF) << 8) | (scratch[3] & 0xFF);
        byte[] head = new byte[Math.min(length, READ_HEAD)];
        readFully(head, 0, head.length);
        // every final READ response ends its registration, an error (shorter) one too
        DirectRead d =
            head.length >= 64 && isSmb2(head) && u16(head, 12) == SMB2_READ ? takeRead(head) : null;
        if (d != null && head.length == READ_HEAD && deliverable(head, length, d)) {
          ByteBuffer target = d.claim();
          if (target != null) {
            return direct(head, length, d, target);
          }
        }
        return whole(Arrays.copyOf(head, length), head.length);
      } catch (IOException | Buffer.BufferException e) {
        throw e instanceof TransportException t ? t : new TransportException(e);
      }
    }

    /** The registration of a READ's final response (an interim STATUS_PENDING one keeps it). */
    private DirectRead takeRead(byte[] head) {
      if ((u32(head, 8) & 0xFFFFFFFFL) == STATUS_PENDING) {
        return null;
      }
      return reads.remove(u64(head, 24));
    }

    private boolean deliverable(byte[] head, int length, DirectRead d) {
      int dataOffset = head[66] & 0xFF;
      long dataLength = u32(head, 68) & 0xFFFFFFFFL;
      return u32(head, 8) == 0
          && (u32(head, 16) & FLAGS_SIGNED) == 0
          && u32(head, 20) == 0
          && dataOffset >= READ_HEAD
          && dataOffset + dataLength <= length
          && dataLength <= d.capacity();
    }

    private SMBPacketData<?> direct(byte[] head, int length, DirectRead d, ByteBuffer target)
        throws IOException, Buffer.BufferException {
      int dataOffset = head[66] & 0xFF;
      int dataLength = u32(head, 68);
      int n = -1;
      try {
        skip(dataOffset - READ_HEAD);
        readInto(target, dataLength);
        n = dataLength;
      } finally {
        d.finish(n);
      }
      skip(length - dataOffset - dataLength);
      head[66] = (byte) READ_HEAD; // DataOffset: just past the fixed part
      Arrays.fill(head, 68, 72, (byte) 0); // DataLength 0
      return handlers.getPacketFactory().read(head);
    }

    private SMBPacketData<?> whole(byte[] packet, int have)
        throws IOException, Buffer.BufferException {
      readFully(packet, have, packet.length - have);
      return handlers.getPacketFactory().read(packet);
    }

    private void readInto(ByteBuffer target, int n) throws IOException {
      int at = target.position();
      if (target.hasArray()) {
        readFully(target.array(), target.arrayOffset() + at, n);
        return;
      }
      for (int done = 0; done < n; ) {
        int k = Math.min(scratch.length, n - done);
        readFully(scratch, 0, k);
        target.put(at + done, scratch, 0, k);
        done += k;
      }
    }

    private void skip(int n) throws IOException {
      while (n > 0) {
        int k = Math.min(scratch.length, n);
        readFully(scratch, 0, k);
        n -= k;
      }
    }

    private void readFully(byte[] b, int off, int n) throws IOException {
      while (n > 0) {
        int k = in.read(b, off, n);
        if (k < 0) {
          throw new TransportException(new EOFException("the server closed the connection"));
        }
        off += k;
        n -= k;
      }
    }
  }

  private static boolean isSmb2(byte[] h) {
    return (h[0] & 0xFF) == 0xFE && h[1] == 'S' && h[2] == 'M' && h[3] == 'B';
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static int u32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }

  private static long u64(byte[] b, int at) {
    return (u32(b, at) & 0xFFFFFFFFL) | (long) u32(b, at + 4) << 32;
  }
}
