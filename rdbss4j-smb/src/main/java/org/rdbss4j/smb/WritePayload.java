package org.rdbss4j.smb;

import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smbj.io.ByteChunkProvider;

/**
 * The data of one WRITE request, put into the outgoing packet with one copy. smbj's own providers
 * copy each 64 KiB piece through a scratch array into a buffer that grows by doubling, all under
 * the connection's write lock: for 1 MiB requests that is several copies of every byte on the one
 * thread that feeds the socket.
 */
final class WritePayload extends ByteChunkProvider {
  private final byte[] data;
  private final int from;
  private final int length;
  private int written;
  private int lastWrite;

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

  /** The whole remaining payload at once, into a buffer grown once to fit it. */
  @Override
  public void writeChunks(Buffer<?> buffer, int nrChunks) {
    int n = length - written;
    buffer.ensureCapacity(n);
    buffer.putRawBytes(data, from + written, n);
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
}
