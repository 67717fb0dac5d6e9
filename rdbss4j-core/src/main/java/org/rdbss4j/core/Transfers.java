package org.rdbss4j.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
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
 * <p>Buffers start at {@value #FIRST} bytes (a small file costs no large buffer) and grow to
 * {@value #CHUNK} bytes once a range came back whole. As {@link java.nio.channels.FileChannel}'s
 * transfers do, a failure after some bytes moved ends the transfer with their count, and the next
 * call sees it.
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

  private Transfers() {}

  static long transferTo(
      Redirector rdr, FileObject fo, long offset, long count, WritableByteChannel target)
      throws IOException {
    ByteBuffer cur = firstBuffer(offset, count);
    if (cur == null) {
      return 0;
    }
    ByteBuffer spare = null;
    long done = 0;
    int n = fo.readOwnAhead(offset, cur);
    while (n > 0) {
      long left = count - done - n;
      CompletableFuture<Integer> next = null;
      ByteBuffer into = null;
      if (left > 0) {
        int want = (int) Math.min(n == cur.capacity() ? CHUNK : cur.capacity(), left);
        into = spare != null && spare.capacity() >= want ? spare : ByteBuffer.allocateDirect(want);
        ByteBuffer b = into.clear().limit(want);
        long at = offset + done + n;
        next = async(rdr, () -> fo.readOwnAhead(at, b));
      }
      cur.flip();
      try {
        while (cur.hasRemaining()) {
          if (target.write(cur) == 0 && cur.hasRemaining()) {
            // a non-blocking target that takes no more: what it took is the result
            done += n - cur.remaining();
            settle(next);
            return done;
          }
        }
      } catch (IOException | RuntimeException e) {
        settle(next);
        throw e;
      }
      done += n;
      if (next == null) {
        break;
      }
      spare = cur;
      cur = into;
      try {
        n = next.join();
      } catch (CompletionException e) {
        if (done > 0) {
          return done;
        }
        throw unwrap(e);
      }
    }
    return done;
  }

  static long transferFrom(
      Redirector rdr, FileObject fo, ReadableByteChannel src, long offset, long count)
      throws IOException {
    ByteBuffer cur = firstBuffer(offset, count);
    if (cur == null) {
      return 0;
    }
    ByteBuffer spare = null;
    CompletableFuture<Integer> writing = null;
    long read = 0;
    long written = 0;
    boolean end = false;
    try {
      while (!end && read < count) {
        cur.clear().limit((int) Math.min(cur.capacity(), count - read));
        while (cur.hasRemaining()) {
          int r = src.read(cur);
          if (r <= 0) {
            // the end of the source, or a non-blocking one with nothing now: no more this call
            end = true;
            break;
          }
        }
        cur.flip();
        if (!cur.hasRemaining()) {
          break;
        }
        if (writing != null) {
          written += writing.join();
        }
        int got = cur.remaining();
        boolean whole = got == cur.capacity();
        ByteBuffer b = cur;
        long at = offset + read;
        writing = async(rdr, () -> writeAll(fo, at, b));
        read += got;
        int want = (int) Math.min(whole ? CHUNK : cur.capacity(), Math.max(1, count - read));
        ByteBuffer next =
            spare != null && spare.capacity() >= want ? spare : ByteBuffer.allocateDirect(want);
        spare = cur;
        cur = next;
      }
      if (writing != null) {
        written += writing.join();
        writing = null;
      }
    } catch (CompletionException e) {
      if (written > 0) {
        return written;
      }
      throw unwrap(e);
    } finally {
      settle(writing);
    }
    return written;
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

  /** The first buffer of a transfer, or null when it moves nothing. */
  private static ByteBuffer firstBuffer(long offset, long count) {
    if (offset < 0 || count < 0) {
      throw new IllegalArgumentException("negative offset or count");
    }
    return count == 0 ? null : ByteBuffer.allocateDirect((int) Math.min(FIRST, count));
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

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }
}
