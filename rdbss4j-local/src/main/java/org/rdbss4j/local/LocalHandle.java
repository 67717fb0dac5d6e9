package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.FILE_APPEND_DATA;
import static org.rdbss4j.core.FileAccess.FILE_EXECUTE;
import static org.rdbss4j.core.FileAccess.FILE_READ_DATA;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * The state of one SRV_OPEN of the local mini-redirector, kept in {@code srvOpen.setContext}: the
 * open file's node, the access and sharing it was opened with, its {@link FileChannel} (none for a
 * directory or an attributes-only open) and, for a directory being watched, its {@link
 * ChangeWatcher}.
 */
final class LocalHandle {
  final ShareRoot share;
  final FileNode node;
  final int access;
  final int shareAccess;
  final boolean deleteOnClose;
  private final boolean readable;
  private final boolean writable;
  private volatile FileChannel channel;

  /** The SRV_OPEN this handle serves (set once the open succeeded), for caching grants. */
  volatile org.rdbss4j.core.SrvOpen srvOpen;

  private ChangeWatcher watcher;
  private boolean closed;

  LocalHandle(ShareRoot share, FileNode node, int access, int shareAccess, boolean deleteOnClose) {
    this.share = share;
    this.node = node;
    this.access = access;
    this.shareAccess = shareAccess;
    this.deleteOnClose = deleteOnClose;
    this.readable = (access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    this.writable = (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
  }

  /** The file's current real path. */
  Path path() {
    return node.path();
  }

  boolean isDirectory() {
    return node.directory;
  }

  /** The name a query reports: the file's name, or the share's for its root. */
  String name() {
    Path p = path();
    return p.equals(share.realRoot()) ? share.share().name() : String.valueOf(p.getFileName());
  }

  /** Opens the data channel of a file as the access asks, truncating it if {@code truncate}. */
  void openChannel(boolean truncate) throws IOException {
    if (isDirectory()) {
      return;
    }
    Set<OpenOption> opts = new HashSet<>();
    opts.add(LinkOption.NOFOLLOW_LINKS);
    if (readable) {
      opts.add(StandardOpenOption.READ);
    }
    if (writable || truncate) {
      opts.add(StandardOpenOption.WRITE);
    }
    if (opts.size() == 1) {
      return;
    }
    FileChannel c = FileChannel.open(path(), opts);
    try {
      if (truncate) {
        c.truncate(0);
      }
    } catch (IOException e) {
      c.close();
      throw e;
    }
    if (truncate && !writable && !readable) {
      c.close();
      return;
    }
    channel = c;
  }

  /** Reads at {@code offset} until {@code dst} is full or the file ends; -1 at end of file. */
  int read(Object owner, long offset, ByteBuffer dst) throws IOException {
    FileChannel c = dataChannel(readable, "reading");
    if (node.locks.conflictsWithIo(owner, offset, dst.remaining(), false)) {
      throw new RxException(NtStatus.FILE_LOCK_CONFLICT, "range locked by another handle");
    }
    int total = 0;
    while (dst.hasRemaining()) {
      int n = c.read(dst, offset + total);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
    }
    return total;
  }

  /** Writes all of {@code src} at {@code offset}. */
  int write(Object owner, long offset, ByteBuffer src) throws IOException {
    FileChannel c = dataChannel(writable, "writing");
    if (node.locks.conflictsWithIo(owner, offset, src.remaining(), true)) {
      throw new RxException(NtStatus.FILE_LOCK_CONFLICT, "range locked");
    }
    int total = 0;
    while (src.hasRemaining()) {
      total += c.write(src, offset + total);
    }
    node.remember();
    return total;
  }

  /**
   * Copies up to {@code length} bytes from {@code srcOffset} of this file into {@code target} at
   * {@code dstOffset} with {@link FileChannel#transferTo} (copy_file_range on Linux: the data stays
   * in the kernel); stops at this file's end. Returns the bytes copied.
   */
  long copyTo(
      java.util.Set<?> sourceOwners,
      Object targetOwner,
      long srcOffset,
      LocalHandle target,
      long dstOffset,
      long length)
      throws IOException {
    FileChannel from = dataChannel(readable, "reading");
    FileChannel to = target.dataChannel(target.writable, "writing");
    long want = Math.max(0, Math.min(length, from.size() - srcOffset));
    if (node.locks.conflictsWithIo(sourceOwners, srcOffset, want, false)) {
      throw new RxException(NtStatus.FILE_LOCK_CONFLICT, "source range locked by another handle");
    }
    if (target.node.locks.conflictsWithIo(targetOwner, dstOffset, want, true)) {
      throw new RxException(NtStatus.FILE_LOCK_CONFLICT, "target range locked by another handle");
    }
    long done = 0;
    // transferTo writes at the target channel's position: one copy into a handle at a time
    synchronized (target) {
      to.position(dstOffset);
      while (done < want) {
        long n = from.transferTo(srcOffset + done, want - done, to);
        if (n <= 0) {
          break;
        }
        done += n;
      }
    }
    target.node.remember();
    return done;
  }

  /** Truncates or extends the file (FileEndOfFileInformation). */
  void setEndOfFile(long size) throws IOException {
    FileChannel c = dataChannel(writable, "writing");
    if (size < 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "negative end of file");
    }
    long now = c.size();
    if (size < now) {
      c.truncate(size);
    } else if (size > now) {
      c.write(ByteBuffer.allocate(1), size - 1);
    }
    node.remember();
  }

  /** Forces written data to the device. */
  void flush() throws IOException {
    FileChannel c = channel;
    if (c != null && writable) {
      c.force(true);
    }
  }

  private FileChannel dataChannel(boolean allowed, String what) {
    if (isDirectory()) {
      throw new RxException(NtStatus.INVALID_DEVICE_REQUEST, "a directory has no data");
    }
    FileChannel c = channel;
    if (!allowed || c == null) {
      throw new RxException(NtStatus.ACCESS_DENIED, "handle not opened for " + what);
    }
    return c;
  }

  /** The change watcher of this directory handle, started on first use. */
  synchronized ChangeWatcher watcher(WatchHub hub, boolean watchTree) throws IOException {
    if (closed) {
      throw new RxException(NtStatus.FILE_CLOSED, "handle closed");
    }
    if (watcher == null) {
      ChangeWatcher w = new ChangeWatcher(hub, path());
      try {
        w.start(watchTree);
      } catch (IOException | RuntimeException e) {
        w.close();
        throw e;
      }
      watcher = w;
    } else if (watchTree) {
      watcher.watchTree();
    }
    return watcher;
  }

  /** Closes the channel and stops the watcher; returns {@code false} when already closed. */
  boolean closeResources() {
    ChangeWatcher w;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.close();
    }
    FileChannel c = channel;
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing a local file descriptor does not fail in a way the caller could act on
      }
    }
    return true;
  }
}
