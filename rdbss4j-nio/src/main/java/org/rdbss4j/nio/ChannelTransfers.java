package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * {@code transferTo} and {@code transferFrom} of a share file channel: positional reads and writes
 * in pieces of up to 8 MiB through a buffer (a mini-redirector splits and pipelines each on the
 * wire: 8 requests of 1 MiB in flight over SMB), leaving the channel's position alone. Arguments
 * are checked by the channel.
 */
final class ChannelTransfers {
  private static final int CHUNK = 8 << 20;

  private ChannelTransfers() {}

  private static ByteBuffer buffer(long count) {
    return ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(count, 1)));
  }

  /** Copies up to {@code count} bytes from {@code at}; stops early if the target takes no more. */
  static long transferTo(FileChannel from, long at, long count, WritableByteChannel target)
      throws IOException {
    long done = 0;
    // the JDK asks for Long.MAX_VALUE bytes: no larger buffer than what is left of the file
    ByteBuffer buf = buffer(Math.min(count, Math.max(0, from.size() - at)));
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = from.read(buf, at + done);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        if (target.write(buf) == 0 && buf.hasRemaining()) {
          return done + n - buf.remaining();
        }
      }
      done += n;
    }
    return done;
  }

  /** Writes up to {@code count} bytes read from {@code src} at {@code at}. */
  static long transferFrom(ReadableByteChannel src, FileChannel to, long at, long count)
      throws IOException {
    long done = 0;
    ByteBuffer buf = buffer(count);
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = src.read(buf);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        to.write(buf, at + done + (n - buf.remaining()));
      }
      done += n;
    }
    return done;
  }
}
