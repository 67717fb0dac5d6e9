package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.smbj.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * One mini-redirector operation on the wire: the SMB2 requests it sends, and the future the core
 * waits on. The operation runs as plain blocking code on a virtual thread (smbj's futures offer no
 * callbacks); its future completes when the code returns, when the request context is cancelled
 * (the cancel routine sends SMB2 CANCEL for every request in flight and completes the future with
 * CANCELLED at once), or when the connection it uses is lost (CONNECTION_DISCONNECTED at once,
 * however long the request's own timeout).
 *
 * @param <T> the operation's result
 */
final class Exchange<T> {
  /** How often a waiting operation re-checks cancellation and connection loss. */
  private static final long SLICE_MILLIS = 100;

  /** The body of an operation. */
  @FunctionalInterface
  interface Body<T> {
    T run(Exchange<T> exchange) throws Exception;
  }

  final CompletableFuture<T> result = new CompletableFuture<>();
  private final String what;
  private final List<Future<?>> inFlight = new ArrayList<>();
  private final List<SmbTransport> transports = new ArrayList<>();
  private final List<DirectRead> directReads = new ArrayList<>();
  private volatile boolean cancelled;
  private volatile long cancelledAt;

  private final RxContext ctx;
  private boolean routineInstalled;

  /**
   * This operation's cancel routine, one object, so that only it is ever cleared from the context.
   */
  private final Runnable routine = this::cancel;

  /** Set (under this monitor) when the caller got its answer early: cancel, failure, timeout. */
  private boolean givenUp;

  private Exchange(String what, RxContext ctx) {
    this.what = what;
    this.ctx = ctx;
  }

  /**
   * Runs an operation on a virtual thread. With a context, a cancel routine is installed once the
   * first request is on the wire, for the rest of the operation's life: a caller that sees the
   * routine (a watch waiting for its first CHANGE_NOTIFY to be outstanding) knows the server has
   * the request, so a change the caller makes next on this connection is reported. A cancellation
   * before that runs the routine as it is installed (the request is then cancelled on the wire).
   * Reads are the exception: they install it before their first request ({@link #cancellableNow}),
   * since their responses are written into the caller's buffer.
   */
  static <T> CompletableFuture<T> run(RxContext ctx, String what, Body<T> body) {
    Exchange<T> ex = new Exchange<>(what, ctx);
    Thread.ofVirtual()
        .name("rdbss4j-smb " + what)
        .start(
            () -> {
              try {
                ex.result.complete(body.run(ex));
              } catch (Throwable t) {
                ex.result.completeExceptionally(SmbStatuses.toRx(t, what));
              } finally {
                ex.finish();
                if (ctx != null && !ex.cancelled) {
                  // only this operation's routine: another operation on the context (a read
                  // after a query) may have installed its own meanwhile
                  ctx.clearCancelRoutine(ex.routine);
                }
              }
            });
    return ex.result;
  }

  /** Whether the request context cancelled this operation. */
  boolean isCancelled() {
    return cancelled;
  }

  /**
   * How long a cancellation waits for the piece of a READ's data being read into the caller's
   * buffer (at most {@value SmbSocketTransport#FILL_PIECE} bytes) before it cuts the socket: a
   * server that does not send that much in this time is stuck in the middle of a message.
   */
  private static final Duration CANCEL_PATIENCE = Duration.ofSeconds(5);

  /**
   * A READ's slice of the caller's buffer: revoked before this operation's future completes early
   * (cancel, connection lost, timeout), so nothing is written into the buffer once the caller has
   * its answer. Call {@link #cancellableNow} first.
   */
  void track(DirectRead d) {
    synchronized (this) {
      directReads.add(d);
    }
  }

  /**
   * Installs the cancel routine before the first request: an operation whose responses are written
   * into the caller's buffer must revoke them before a cancelled caller returns, and the request
   * context completes its caller's wait right after running the routine.
   */
  void cancellableNow() {
    boolean install;
    synchronized (this) {
      install = ctx != null && !routineInstalled;
      routineInstalled = true;
    }
    if (install) {
      ctx.setCancelRoutine(routine);
    }
  }

  /**
   * The caller gets its answer now (cancel, failure, timeout): from here on nothing is written into
   * its buffer; the READs' slices are revoked, a fill in progress waited for up to {@code
   * patience}.
   */
  private void giveUp(Duration patience) {
    synchronized (this) {
      givenUp = true;
    }
    revokeDirectReads(patience);
  }

  /**
   * Runs {@code change} to the caller's objects (a buffer's position) unless the caller already has
   * its answer; false if it has. Holding this monitor, so a cancel or failure that completes the
   * future comes either before (nothing changes) or after (the change was made before the answer).
   */
  synchronized boolean unlessGivenUp(Runnable change) {
    if (givenUp) {
      return false;
    }
    change.run();
    return true;
  }

  private void revokeDirectReads(Duration patience) {
    List<DirectRead> l;
    synchronized (this) {
      l = List.copyOf(directReads);
    }
    for (DirectRead d : l) {
      d.revoke(patience);
    }
  }

  /** Sends a request on a session of {@code transport}; the operation now depends on it. */
  <P extends SMB2Packet> Future<P> send(SmbTransport transport, Session session, SMB2Packet req) {
    // the cancel routine is installed only with the first request, so a context cancelled before
    // it is asked directly
    if (cancelled || (ctx != null && ctx.isCancelled())) {
      throw new RxException(NtStatus.CANCELLED, what + " cancelled");
    }
    synchronized (this) {
      if (!transports.contains(transport)) {
        transports.add(transport);
        transport.track(this);
      }
    }
    Future<P> f = transport.send(session, req, what);
    synchronized (this) {
      inFlight.add(f);
    }
    cancellableNow();
    if (cancelled) {
      f.cancel(true);
    }
    return f;
  }

  /**
   * Waits for a response. A zero timeout waits until the server answers (a change notification, a
   * waiting lock); otherwise a server that does not answer in time is declared lost (IO_TIMEOUT).
   */
  <P extends SMB2Packet> P await(SmbTransport transport, Future<P> f, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      transport.requireAlive(what);
      if (cancelled
          && System.nanoTime() - cancelledAt > transport.options().transactTimeout().toNanos()) {
        // the server never answered the SMB2 CANCEL; the caller has its CANCELLED already
        throw new RxException(NtStatus.CANCELLED, what + " cancelled");
      }
      try {
        P p = f.get(SLICE_MILLIS, TimeUnit.MILLISECONDS);
        synchronized (this) {
          inFlight.remove(f);
        }
        return p;
      } catch (TimeoutException e) {
        checkDeadline(transport, deadline, timeout);
      } catch (ExecutionException e) {
        if (isSliceExpiry(e)) {
          checkDeadline(transport, deadline, timeout);
          continue;
        }
        RxException rx = SmbStatuses.toRx(e.getCause(), what);
        if (SmbStatuses.isTransportFailure(e.getCause())) {
          transport.lost(rx);
        }
        throw rx;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RxException(NtStatus.CANCELLED, what + " interrupted");
      }
    }
  }

  /** smbj reports a wait that timed out as an error wrapping a TimeoutException. */
  private static boolean isSliceExpiry(ExecutionException e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private void checkDeadline(SmbTransport transport, long deadline, Duration timeout) {
    if (!timeout.isZero() && System.nanoTime() - deadline > 0) {
      RxException rx =
          new RxException(
              NtStatus.IO_TIMEOUT,
              what + ": no answer from the server within " + timeout.toMillis() + " ms");
      transport.lost(rx, this);
      giveUp(Duration.ZERO);
      result.completeExceptionally(rx);
      throw rx;
    }
  }

  /** The cancel routine: SMB2 CANCEL for every request in flight, and CANCELLED at once. */
  void cancel() {
    cancelledAt = System.nanoTime();
    cancelled = true;
    List<Future<?>> l;
    synchronized (this) {
      l = List.copyOf(inFlight);
    }
    giveUp(CANCEL_PATIENCE);
    // SMB2 CANCEL is sent from a thread of its own: the caller's thread may carry an interrupt,
    // which would close the connection's channel in the middle of the write
    Thread.ofVirtual()
        .name("rdbss4j-smb cancel " + what)
        .start(
            () -> {
              for (Future<?> f : l) {
                try {
                  f.cancel(true);
                } catch (RuntimeException e) {
                  // the connection is gone; the request is as good as cancelled
                }
              }
            });
    result.completeExceptionally(new RxException(NtStatus.CANCELLED, what + " cancelled"));
  }

  /** The connection was lost: fail at once, the waiting code notices on its next slice. */
  void fail(RxException rx) {
    giveUp(Duration.ZERO);
    result.completeExceptionally(rx);
  }

  private void finish() {
    List<SmbTransport> l;
    synchronized (this) {
      l = List.copyOf(transports);
    }
    for (SmbTransport t : l) {
      t.untrack(this);
    }
  }

  @Override
  public String toString() {
    return "Exchange[" + what + (cancelled ? ", cancelled" : "") + "]";
  }
}
