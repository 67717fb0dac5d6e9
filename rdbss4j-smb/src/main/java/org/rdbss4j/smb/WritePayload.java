package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.messages.SMB2WriteRequest;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smbj.io.ByteChunkProvider;
import java.nio.ByteBuffer;

/**
 * The data of one WRITE request: a slice of the caller's buffer, heap or direct. Sent unsigned, it
 * is not copied into the packet at all: the transport writes the request's header and then the
 * slice to the socket ({@link #gather}, {@link SmbSocketTransport}); a direct slice goes to the
 * socket without a copy in user space. Signed or encrypted, the signature or the cipher needs the
 * whole message in one buffer: it goes in with one copy. smbj's own providers copy each 64 KiB
 * piece through a scratch array into a buffer that grows by doubling, all under the connection's
 * write lock, and smbj gives each packet a new buffer (for a 1 MiB WRITE a 2 MiB array, a humongous
 * object for G1, zeroed).
 */
final class WritePayload extends ByteChunkProvider {
  private final ByteBuffer data;
  private final int length;
  private int written;
  private int lastWrite;
  private boolean gather;
  private ByteBuffer gathered;

  /**
   * The bytes of {@code data} from its position to its limit (the buffer is not moved), written at
   * {@code fileOffset}.
   */
  WritePayload(ByteBuffer data, long fileOffset) {
    this.data = data.slice();
    this.length = this.data.remaining();
    this.offset = fileOffset;
  }

  @Override
  public boolean isAvailable() {
    return written < length;
  }

  @Override
  public void prepareWrite(int maxBytesToPrepare) {
    // the data is in memory already
  }

  @Override
  protected int getChunk(byte[] chunk) {
    int n = Math.min(chunk.length, length - written);
    data.get(written, chunk, 0, n);
    written += n;
    return n;
  }

  /**
   * The next serialization leaves the data out of the buffer and records it: the transport sends it
   * after the buffer ({@link #gathered}).
   */
  void gather() {
    gather = true;
  }

  /** The data the last serialization left out (position to limit), or null. */
  ByteBuffer gathered() {
    return gathered;
  }

  /** The whole remaining payload at once: left out (gathered) or into a buffer grown to fit. */
  @Override
  public void writeChunks(Buffer<?> buffer, int nrChunks) {
    int n = length - written;
    if (gather) {
      gathered = data.slice(written, n);
    } else if (data.hasArray()) {
      buffer.putRawBytes(data.array(), data.arrayOffset() + written, n);
    } else {
      // through putRawBytes: a signing buffer computes the signature from what is put into it
      byte[] chunk = new byte[Math.min(n, 64 * 1024)];
      for (int done = 0; done < n; ) {
        int k = Math.min(chunk.length, n - done);
        data.get(written + done, chunk, 0, k);
        buffer.putRawBytes(chunk, 0, k);
        done += k;
      }
    }
    written += n;
    offset += n;
    lastWrite = n;
  }

  @Override
  public int getLastWriteSize() {
    return lastWrite;
  }

  @Override
  public int bytesLeft() {
    return length - written;
  }

  /** A WRITE request that knows its payload, so the transport can send the data from it. */
  static final class Request extends SMB2WriteRequest {
    final WritePayload payload;

    Request(
        SMB2Dialect dialect, SMB2FileId fileId, long sessionId, long treeId, WritePayload payload) {
      super(dialect, fileId, sessionId, treeId, payload, payload.bytesLeft());
      this.payload = payload;
    }
  }
}
