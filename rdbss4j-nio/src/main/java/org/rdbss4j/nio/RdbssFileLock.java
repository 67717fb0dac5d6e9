package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.channels.FileLock;

/**
 * A byte-range lock held on the server by one channel's handle. Valid until released or until its
 * channel closes (the handle's cleanup releases every lock it holds).
 */
final class RdbssFileLock extends FileLock {
  private volatile boolean released;

  RdbssFileLock(RdbssFileChannel channel, long position, long size, boolean shared) {
    super(channel, position, size, shared);
  }

  @Override
  public boolean isValid() {
    return !released && channel().isOpen();
  }

  /** Unlocks the range on the server; a no-op once released. */
  @Override
  public synchronized void release() throws IOException {
    if (released) {
      return;
    }
    ((RdbssFileChannel) channel()).release(this);
    released = true;
  }

  /** Whether this lock is valid and overlaps the range, by the JDK's rule ({@link #overlaps}). */
  boolean conflictsWith(long at, long length) {
    return isValid() && overlaps(at, length);
  }
}
