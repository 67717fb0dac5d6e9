package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.messages.SMB2ReadRequest;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Where the data of one READ's response goes: a slice of the caller's buffer, filled by the
 * connection's receive thread straight from the socket ({@link SmbSocketTransport}) instead of
 * through smbj, which copies a response twice (the whole message into a new array, then its data
 * into another) before the caller's copy.
 *
 * <p>The transport registers it under the request's message id when it serializes the request (so
 * before the server can answer), and the receive thread takes it when the response arrives. Only an
 * unencrypted, successful, uncompounded response is delivered this way (a signed one with its
 * signature checked on the way); any other reaches smbj whole and the data is copied from it as
 * before ({@link #delivered()} false).
 *
 * <p>States: registered, then filling (the receive thread writes into the slice), then done; or
 * revoked, by a caller that stops waiting (cancel, timeout, failure). A revoked slice is never
 * written, and {@link #revoke} waits for a fill in progress to end, so nothing is written into the
 * caller's buffer after its read returned.
 */
final class DirectRead {
  private static final int REGISTERED = 0;
  private static final int FILLING = 1;
  private static final int DONE = 2;
  private static final int REVOKED = 3;

  private final ByteBuffer target;
  private final Runnable cut;
  private int state = REGISTERED;
  private int filled = -1;

  /** A revocation asks a fill in progress to stop at its next piece. */
  private boolean stopFill;

  /**
   * {@code target}'s position to limit is where the data goes; the buffer itself is not moved.
   * {@code cut} closes the connection's socket (ending a fill that does not end by itself).
   */
  DirectRead(ByteBuffer target, Runnable cut) {
    this.target = target;
    this.cut = cut;
  }

  /** How many bytes the slice takes. */
  int capacity() {
    return target.remaining();
  }

  /** The receive thread takes the slice to fill it; null if it was revoked. */
  synchronized ByteBuffer claim() {
    if (state != REGISTERED) {
      return null;
    }
    state = FILLING;
    return target;
  }

  /**
   * Asked by the receive thread before each piece of a fill: false once a revocation asked it to
   * stop (the fill then counts as not delivered, and the revocation returns: nothing more is
   * written into the slice; the receive thread reads the rest of the message elsewhere).
   */
  synchronized boolean keepFilling() {
    if (stopFill && state == FILLING) {
      filled = -1;
      state = DONE;
      notifyAll();
    }
    return state == FILLING;
  }

  /** The receive thread is done: {@code n} bytes were written, or -1 if none (smbj gets them). */
  synchronized void finish(int n) {
    if (state == FILLING) {
      filled = n;
      state = DONE;
    }
    notifyAll();
  }

  /** Bytes written into the slice by the receive thread, or -1 if the data went to smbj. */
  synchronized int delivered() {
    return state == DONE ? filled : -1;
  }

  /**
   * The caller stops waiting: the slice is never written after this returns. A fill in progress is
   * waited for (the response is arriving); if it does not end within {@code patience} (zero: a
   * connection being given up anyway), the socket is cut, which ends it.
   */
  void revoke(Duration patience) {
    synchronized (this) {
      if (state == REGISTERED) {
        state = REVOKED;
        return;
      }
      stopFill = true; // a fill in progress stops after the piece it is reading
      if (waitWhileFilling(patience.toNanos())) {
        return;
      }
    }
    cut.run();
    synchronized (this) {
      waitWhileFilling(Long.MAX_VALUE);
    }
  }

  private boolean waitWhileFilling(long nanos) {
    long deadline = System.nanoTime() + nanos;
    boolean interrupted = false;
    try {
      while (state == FILLING) {
        long left = deadline - System.nanoTime();
        if (nanos != Long.MAX_VALUE && left <= 0) {
          return false;
        }
        try {
          wait(nanos == Long.MAX_VALUE ? 0 : Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A READ request whose response's data goes to a {@link DirectRead}. */
  static final class Request extends SMB2ReadRequest {
    final DirectRead direct;

    Request(
        SMB2Dialect dialect,
        SMB2FileId fileId,
        long sessionId,
        long treeId,
        long offset,
        int length,
        DirectRead direct) {
      super(dialect, fileId, sessionId, treeId, offset, length);
      this.direct = direct;
    }
  }
}
