package org.rdbss4j.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@link FileObject#transferTo} and {@link FileObject#transferFrom}: a file copied to or from a
 * channel through two direct buffers of the transfer's own, so that the server and the channel work
 * at the same time with no copy between them. Copying out, a worker reads the next range into one
 * buffer (over SMB from the socket straight into it) while the caller's thread writes the other to
 * the target; copying in, the caller's thread fills one buffer from the source while a worker
 * writes the other to the file. Each read and write is an ordinary one of the handle (access,
 * byte-range locks, the data cache's coherency and dirty data, cancellation), in requests the
 * mini-redirector pipelines. A transfer returns only when its worker is done: nothing touches the
 * file for it afterwards.
 *
 * <p>Buffers start at {@value #FIRST} bytes (on the heap for a smaller count) and grow to {@value
 * #CHUNK} bytes once a range came back whole; a few of each size are pooled across transfers, so
 * that copying many files does not make direct memory wait for the collector. As {@link
 * java.nio.channels.FileChannel}'s transfers do, a failure after some bytes moved ends the transfer
 * with their count and the next call sees it: reading the file or writing the target in transferTo;
 * in transferFrom, reading the source (what it gave is written first) or writing the file, when the
 * source can be put back to just after what was written (a {@link SeekableByteChannel}); a source
 * that cannot makes a failed write the transfer's failure, as the bytes it gave past the written
 * ones would be lost.
 */
final class Transfers {
  /**
   * The largest range in one buffer: 4 requests of 1 MiB in flight over SMB. Larger ranges keep
   * more requests in flight, but the target then takes each range long after its first bytes came
   * in, from memory rather than the processor's cache: copying a file from Samba to tmpfs, ranges
   * of 4 MiB cost the client 596–633 ms of CPU per GB and ranges of 16 MiB 671–745 (and read 1.08–
   * 1.10× smbclient's rate against 1.00–1.07×, BENCHMARKS.md).
   */
  static final int CHUNK = 4 << 20;

  /** The first buffer's size (or the count, if smaller). */
  static final int FIRST = 1 << 20;

  /** Direct buffers kept for the next transfers, per size; at most this many of each. */
  private static final int POOLED = 4;

  private static final java.util.concurrent.ConcurrentLinkedDeque<ByteBuffer> FIRSTS =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private static final java.util.concurrent.ConcurrentLinkedDeque<ByteBuffer> CHUNKS =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  private Transfers() {}

  static long transferTo(
      Redirector rdr, FileObject fo, long offset, long count, WritableByteChannel target)
      throws IOException {
    ByteBuffer cur = firstBuffer(offset, count);
    if (cur == null) {
      return 0;
    }
    ByteBuffer into = null;
    CompletableFuture<Integer> next = null;
    long done = 0;
    try {
      int n = fo.readOwnAhead(offset, cur);
      while (n > 0) {
        long left = count - done - n;
        if (left > 0) {
          // a whole range: the next is a large one; a short one (the end, most likely): a probe
          into = take(n == cur.capacity() ? CHUNK : FIRST);
          ByteBuffer b = into.limit((int) Math.min(into.capacity(), left));
          long at = offset + done + n;
          next = async(rdr, () -> fo.readOwnAhead(at, b));
        }
        cur.flip();
        try {
          while (cur.hasRemaining()) {
            if (target.write(cur) == 0 && cur.hasRemaining()) {
              // a non-blocking target that takes no more: what it took is the result
              return done + cur.position();
            }
          }
        } catch (IOException e) {
          // as the JDK's transfers: what went to the target counts, the failure is the next call's
          if (done + cur.position() > 0) {
            return done + cur.position();
          }
          throw e;
        }
        done += n;
        if (next == null) {
          break;
        }
        give(cur);
        cur = into;
        into = null;
        try {
          n = next.join();
        } catch (CompletionException e) {
          if (done > 0) {
            return done; // a later range that cannot be read: the next call sees why
          }
          throw unwrap(e);
        } finally {
          next = null;
        }
      }
      return done;
    } finally {
      settle(next);
      give(cur);
      give(into);
    }
  }

  static long transferFrom(
      Redirector rdr, FileObject fo, ReadableByteChannel src, long offset, long count)
      throws IOException {
    ByteBuffer cur = firstBuffer(offset, count);
    if (cur == null) {
      return 0;
    }
    ByteBuffer inFlight = null;
    CompletableFuture<Integer> writing = null;
    long taken = 0; // bytes read from the source
    long written = 0;
    try {
      boolean end = false;
      while (!end && taken < count) {
        cur.clear().limit((int) Math.min(cur.capacity(), count - taken));
        try {
          while (cur.hasRemaining()) {
            int r = src.read(cur);
            if (r <= 0) {
              // the end of the source, or a non-blocking one with nothing now: no more this call
              end = true;
              break;
            }
            taken += r;
          }
        } catch (IOException e) {
          // what the source gave before it failed is written first; then its failure, unless
          // something was written (the JDK's rule: the next call sees it)
          cur.flip();
          written += join(writing);
          writing = null;
          written += writeAll(fo, offset + written, cur);
          if (written > 0) {
            return written;
          }
          throw e;
        }
        cur.flip();
        if (!cur.hasRemaining()) {
          break;
        }
        written += join(writing);
        writing = null;
        give(inFlight);
        inFlight = null;
        boolean whole = cur.remaining() == cur.capacity();
        // the next buffer only when more is to come, and before this one changes hands
        ByteBuffer next = !end && taken < count ? take(whole ? CHUNK : FIRST) : null;
        ByteBuffer b = cur;
        long at = offset + written;
        inFlight = cur;
        cur = next;
        writing = async(rdr, () -> writeAll(fo, at, b));
      }
      written += join(writing);
      writing = null;
      return written;
    } catch (RuntimeException e) {
      if (written == 0) {
        throw unwrap(e);
      }
      // some bytes are in the file: they count, if the source can be put back to just after them
      long ahead = taken - written;
      if (ahead > 0) {
        if (!(src instanceof SeekableByteChannel seekable)) {
          throw unwrap(e); // the source's extra bytes cannot be given back
        }
        seekable.position(seekable.position() - ahead);
      }
      return written;
    } finally {
      settle(writing);
      give(cur);
      give(inFlight);
    }
  }

  /** A worker's count, waiting for it (0 for none). */
  private static int join(CompletableFuture<Integer> f) {
    return f == null ? 0 : f.join();
  }

  private static int writeAll(FileObject fo, long at, ByteBuffer b) {
    int total = 0;
    while (b.hasRemaining()) {
      int w = fo.write(at + total, b);
      if (w <= 0) {
        throw new RxException(NtStatus.UNSUCCESSFUL, "a write of a transfer made no progress");
      }
      total += w;
    }
    return total;
  }

  /**
   * The first buffer of a transfer, or null when it moves nothing: on the heap when the count is
   * smaller than {@value #FIRST} bytes (a small file pays no direct buffer), else a pooled one.
   */
  private static ByteBuffer firstBuffer(long offset, long count) {
    if (offset < 0 || count < 0) {
      throw new IllegalArgumentException("negative offset or count");
    }
    if (count == 0) {
      return null;
    }
    return count < FIRST ? ByteBuffer.allocate((int) count) : take(FIRST);
  }

  /** A cleared direct buffer of {@code size} ({@link #FIRST} or {@link #CHUNK}) from the pool. */
  static ByteBuffer take(int size) {
    ByteBuffer b = (size == CHUNK ? CHUNKS : FIRSTS).pollFirst();
    return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
  }

  /** Gives a buffer no worker uses any more back to the pool (others are left to the GC). */
  static void give(ByteBuffer b) {
    if (b == null || !b.isDirect()) {
      return;
    }
    var pool = b.capacity() == CHUNK ? CHUNKS : b.capacity() == FIRST ? FIRSTS : null;
    if (pool != null && pool.size() < POOLED) {
      pool.offerFirst(b);
    }
  }

  /** Buffers in the pool (for tests). */
  static int pooled() {
    return FIRSTS.size() + CHUNKS.size();
  }

  /** Empties the pool (for tests). */
  static void emptyPool() {
    FIRSTS.clear();
    CHUNKS.clear();
  }

  /** Runs {@code task} on a worker, or here when the redirector no longer takes any. */
  private static <T> CompletableFuture<T> async(Redirector rdr, Supplier<T> task) {
    try {
      return CompletableFuture.supplyAsync(task, rdr.workers);
    } catch (RejectedExecutionException e) {
      try {
        return CompletableFuture.completedFuture(task.get());
      } catch (RuntimeException failed) {
        return CompletableFuture.failedFuture(failed);
      }
    }
  }

  /** Waits for a worker's part whatever its outcome, keeping a pending interrupt for later. */
  private static void settle(CompletableFuture<?> f) {
    if (f == null) {
      return;
    }
    try {
      f.join();
    } catch (RuntimeException ignored) {
      // the transfer reports its own outcome; the worker's failure is the next call's
    }
  }

  /** The worker's own failure for one that came through a future, else the failure itself. */
  private static RuntimeException unwrap(RuntimeException e) {
    return e instanceof CompletionException && e.getCause() instanceof RuntimeException r ? r : e;
  }
}
