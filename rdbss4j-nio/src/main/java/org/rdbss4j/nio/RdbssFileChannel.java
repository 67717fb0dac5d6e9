package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;

/**
 * A file channel on one open of a share file (a FILE_OBJECT and its FOBX): reads and writes go to
 * the redirector at the channel's position or a given one, {@code force} is a flush, {@code
 * truncate} sets the end of file, and {@code lock}/{@code tryLock} take byte-range locks on the
 * server.
 *
 * <p>Locks: within one channel an overlapping request throws {@link OverlappingFileLockException},
 * as the JDK does; between channels — of this JVM or any other client — the server decides, so
 * {@code lock} waits and {@code tryLock} returns {@code null} while another handle holds a
 * conflicting range. As on Windows, locks are mandatory: another handle's read or write of a locked
 * range fails ({@code STATUS_FILE_LOCK_CONFLICT}). Closing the channel releases its locks and ends
 * a waiting {@code lock} with {@link java.nio.channels.AsynchronousCloseException}; interrupting
 * the waiting thread closes the channel, as for any interruptible channel.
 *
 * <p>{@link #map} is not supported: a share file has no local pages to map.
 */
final class RdbssFileChannel extends FileChannel {
  private final RdbssPath path;
  private final RdbssFileSystem fs;
  private final Redirector rdr;
  private final FileObject fo;
  private final OpenOptions options;
  private final Object positionLock = new Object();
  private final List<RdbssFileLock> locks = new ArrayList<>();
  private long position;

  /** Closed by its file system's close or disconnect rather than by its own close. */
  private volatile boolean closedWithFileSystem;

  private RdbssFileChannel(RdbssPath path, FileObject fo, OpenOptions options) {
    this.path = path;
    this.fs = path.getFileSystem();
    this.rdr = fs.session().redirector();
    this.fo = fo;
    this.options = options;
  }

  /** Opens a channel on a share file and registers it with its file system. */
  static RdbssFileChannel open(
      RdbssPath path, Set<? extends OpenOption> opts, FileAttribute<?>... attrs)
      throws IOException {
    OpenOptions o = OpenOptions.of(opts, attrs);
    FileObject fo = path.getFileSystem().session().open(path, o.request());
    RdbssFileChannel ch = new RdbssFileChannel(path, fo, o);
    try {
      return path.getFileSystem().register(ch);
    } catch (ClosedFileSystemException e) {
      fo.close();
      throw e;
    }
  }

  private RxContext ctx() {
    return fs.session().context();
  }

  /**
   * One request of the channel, which may also fail on another channel it moves data to or from.
   */
  private interface Request<T> {
    T get() throws IOException;
  }

  /** Runs a request as a blocking I/O operation of an interruptible channel. */
  private <T> T io(Request<T> request) throws IOException {
    ensureOpen();
    boolean done = false;
    try {
      begin();
      T r = request.get();
      done = true;
      return r;
    } catch (RxException e) {
      throw fs.isOpen() ? StatusExceptions.translate(e, path) : connectionDeleted(e);
    } finally {
      end(done);
    }
  }

  /**
   * A request that failed while the file system's connection was being deleted: cancelled by a
   * forced finalization, or failed on the orphaned handle.
   */
  private IOException connectionDeleted(RxException e) {
    return switch (e.status()) {
      case CANCELLED, UNEXPECTED_NETWORK_ERROR, NETWORK_NAME_DELETED, FILE_CLOSED -> {
        FileSystemException x =
            new FileSystemException(
                path.toString(),
                null,
                "the connection " + fs.uncShare() + " was deleted: " + e.getMessage());
        x.initCause(e);
        yield x;
      }
      default -> StatusExceptions.translate(e, path);
    };
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!isOpen()) {
      throw closedWithFileSystem ? new ConnectionClosedException(fs) : new ClosedChannelException();
    }
  }

  private void checkReadable() {
    if (!options.read()) {
      throw new NonReadableChannelException();
    }
  }

  private void checkWritable() {
    if (!options.write()) {
      throw new NonWritableChannelException();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    checkReadable();
    synchronized (positionLock) {
      long at = position;
      int n = io(() -> rdr.read(ctx(), fo, at, dst));
      if (n > 0) {
        position = at + n;
      }
      return n;
    }
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, dsts.length);
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!dsts[i].hasRemaining()) {
        continue;
      }
      int want = dsts[i].remaining();
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (n < want) {
        break;
      }
    }
    return total;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureOpen();
    checkWritable();
    synchronized (positionLock) {
      long at = options.append() ? size() : position;
      int n = io(() -> rdr.write(ctx(), fo, at, src));
      position = at + n;
      syncIfAsked();
      return n;
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += write(srcs[i]);
    }
    return total;
  }

  @Override
  public int read(ByteBuffer dst, long at) throws IOException {
    if (at < 0) {
      throw new IllegalArgumentException("negative position");
    }
    ensureOpen();
    checkReadable();
    return io(() -> rdr.read(ctx(), fo, at, dst));
  }

  @Override
  public int write(ByteBuffer src, long at) throws IOException {
    if (at < 0) {
      throw new IllegalArgumentException("negative position");
    }
    ensureOpen();
    checkWritable();
    int n = io(() -> rdr.write(ctx(), fo, at, src));
    syncIfAsked();
    return n;
  }

  private void syncIfAsked() throws IOException {
    if (options.sync()) {
      force(true);
    }
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    synchronized (positionLock) {
      return position;
    }
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    ensureOpen();
    synchronized (positionLock) {
      position = newPosition;
    }
    return this;
  }

  @Override
  public long size() throws IOException {
    return io(() -> rdr.queryInformation(ctx(), fo).size());
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
    ensureOpen();
    checkWritable();
    synchronized (positionLock) {
      if (size < size()) {
        io(
            () -> {
              rdr.setInformation(ctx(), fo, new SetInfo.EndOfFile(size));
              return null;
            });
      }
      if (position > size) {
        position = size;
      }
    }
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    io(
        () -> {
          rdr.flush(ctx(), fo);
          return null;
        });
  }

  @Override
  public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
    if (at < 0 || count < 0) {
      throw new IllegalArgumentException("negative position or count");
    }
    ensureOpen();
    checkReadable();
    Objects.requireNonNull(target, "target");
    // the file object's transfer: the next range is read while the target takes this one
    return io(() -> fo.transferTo(at, count, target));
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long at, long count) throws IOException {
    if (at < 0 || count < 0) {
      throw new IllegalArgumentException("negative position or count");
    }
    ensureOpen();
    checkWritable();
    if (at > size()) {
      return 0;
    }
    Objects.requireNonNull(src, "src");
    long n = io(() -> fo.transferFrom(src, at, count));
    syncIfAsked();
    return n;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long size) {
    throw new UnsupportedOperationException("a share file cannot be mapped");
  }

  @Override
  public FileLock lock(long at, long size, boolean shared) throws IOException {
    return lock(at, size, shared, false);
  }

  @Override
  public FileLock tryLock(long at, long size, boolean shared) throws IOException {
    return lock(at, size, shared, true);
  }

  private FileLock lock(long at, long size, boolean shared, boolean failNow) throws IOException {
    if (at < 0 || size < 0 || at + size < 0) {
      throw new IllegalArgumentException("invalid lock range " + at + "+" + size);
    }
    ensureOpen();
    if (shared) {
      checkReadable();
    } else {
      checkWritable();
    }
    RdbssFileLock l = new RdbssFileLock(this, at, size, shared);
    synchronized (locks) {
      for (RdbssFileLock held : locks) {
        if (held.conflictsWith(at, size)) {
          throw new OverlappingFileLockException();
        }
      }
      locks.add(l);
    }
    boolean granted = false;
    try {
      io(
          () -> {
            rdr.lock(ctx(), fo, at, size, !shared, failNow);
            return null;
          });
      granted = true;
      return l;
    } catch (IOException e) {
      if (failNow && StatusExceptions.statusOf(e) == NtStatus.LOCK_NOT_GRANTED) {
        return null;
      }
      throw e;
    } finally {
      if (!granted) {
        forget(l);
      }
    }
  }

  /** Releases a lock on the server (FileLock.release). */
  void release(RdbssFileLock l) throws IOException {
    ensureOpen();
    io(
        () -> {
          rdr.unlock(ctx(), fo, l.position(), l.size());
          return null;
        });
    forget(l);
  }

  private void forget(RdbssFileLock l) {
    synchronized (locks) {
      locks.remove(l);
    }
  }

  /**
   * Cleanup and close of the handle: the server releases its locks, a waiting lock is cancelled.
   */
  @Override
  protected void implCloseChannel() {
    closedWithFileSystem = !fs.isOpen();
    try {
      fo.close();
    } finally {
      synchronized (locks) {
        locks.clear();
      }
      fs.unregister(this);
    }
  }

  @Override
  public String toString() {
    return "RdbssFileChannel[" + path.toUncString() + "]";
  }
}
