package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.messages.SMB2WriteRequest;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smbj.io.ByteChunkProvider;

/**
 * The data of one WRITE request. Sent unsigned, it is not copied into the packet at all: the
 * transport writes the request's header and then the caller's bytes to the socket ({@link #gather},
 * {@link SmbSocketTransport}). Signed or encrypted, the signature or the cipher needs the whole
 * message in one buffer: it goes in with one copy. smbj's own providers copy each 64 KiB piece
 * through a scratch array into a buffer that grows by doubling, all under the connection's write
 * lock, and smbj gives each packet a new buffer (for a 1 MiB WRITE a 2 MiB array, a humongous
 * object for G1, zeroed).
 */
final class WritePayload extends ByteChunkProvider {
  private final byte[] data;
  private final int from;
  private final int length;
  private int written;
  private int lastWrite;
  private boolean gather;
  private int gatheredFrom = -1;

  /** {@code length} bytes of {@code data} from {@code from}, written at {@code fileOffset}. */
  WritePayload(byte[] data, int from, int length, long fileOffset) {
    this.data = data;
    this.from = from;
    this.length = length;
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
    System.arraycopy(data, from + written, chunk, 0, n);
    written += n;
    return n;
  }

  /**
   * The next serialization leaves the data out of the buffer and records where it is: the transport
   * sends it after the buffer ({@link #gathered}).
   */
  void gather() {
    gather = true;
  }

  /** The caller's array holding the data left out, from {@link #gatheredFrom()}. */
  byte[] gathered() {
    return data;
  }

  /** Where the data left out starts in {@link #gathered()}, or -1 if nothing was left out. */
  int gatheredFrom() {
    return gatheredFrom;
  }

  /** The whole remaining payload at once: left out (gathered) or into a buffer grown to fit. */
  @Override
  public void writeChunks(Buffer<?> buffer, int nrChunks) {
    int n = length - written;
    if (gather) {
      gatheredFrom = from + written;
    } else {
      buffer.ensureCapacity(n);
      buffer.putRawBytes(data, from + written, n);
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
