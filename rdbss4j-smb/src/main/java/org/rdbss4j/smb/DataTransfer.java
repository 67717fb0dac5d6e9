package org.rdbss4j.smb;

import com.hierynomus.mssmb2.messages.SMB2ReadRequest;
import com.hierynomus.mssmb2.messages.SMB2ReadResponse;
import com.hierynomus.mssmb2.messages.SMB2WriteRequest;
import com.hierynomus.mssmb2.messages.SMB2WriteResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * Positional reads and writes of any size: split into READs and WRITEs of the negotiated maximum
 * size, with up to {@link SmbOptions#requestsInFlight()} of them on the wire at once, so that one
 * large transfer does not wait a round trip per request.
 */
final class DataTransfer {
  private static final long END_OF_FILE = SmbStatuses.code(NtStatus.END_OF_FILE);

  /**
   * A request on the wire: a READ with where its data goes, or a WRITE with the call that sent it
   * (only that call may send the rest of a short write: its caller's buffer is still there).
   */
  record Pending<P>(Future<P> future, long offset, int length, DirectRead direct, Object call) {}

  private DataTransfer() {}

  /**
   * MRxRead: fills {@code dst} from {@code offset}; returns the bytes read, fewer at the end of the
   * file (or when the server sent less, which a caller sees as a short read), -1 at the end.
   */
  static CompletableFuture<Integer> read(RxContext ctx, SmbHandle h, long offset, ByteBuffer dst) {
    String what = "read " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          ready(ex, h, what);
          if (dst.isReadOnly()) {
            throw new RxException(NtStatus.INVALID_PARAMETER, what + ": a read-only buffer");
          }
          SmbTransport t = h.transport();
          SmbView.Binding b = h.binding;
          // a cancellation revokes the slices below before the caller returns
          ex.cancellableNow();
          int start = dst.position();
          int want = dst.remaining();
          int chunk = t.maxReadSize();
          ArrayDeque<Pending<SMB2ReadResponse>> window = new ArrayDeque<>();
          int issued = 0;
          int total = 0;
          boolean endOfFile = false;
          try {
            while (true) {
              while (window.size() < t.options().requestsInFlight() && issued < want) {
                int len = Math.min(chunk, want - issued);
                ByteBuffer slice = dst.duplicate();
                slice.limit(start + issued + len).position(start + issued);
                DirectRead direct = new DirectRead(slice, t::cutSocket);
                ex.track(direct);
                SMB2ReadRequest req =
                    new DirectRead.Request(
                        t.dialect(),
                        h.fileId,
                        b.sessionId(),
                        b.treeId(),
                        offset + issued,
                        len,
                        direct);
                window.add(
                    new Pending<>(
                        ex.send(t, h.session(), req), offset + issued, len, direct, null));
                t.stats.readRequests.increment();
                issued += len;
              }
              Pending<SMB2ReadResponse> p = window.peek();
              if (p == null) {
                break;
              }
              SMB2ReadResponse r = ex.await(t, p.future(), t.options().readTimeout());
              window.poll();
              if (r.getHeader().getStatusCode() == END_OF_FILE) {
                endOfFile = true;
                break;
              }
              SmbStatuses.check(r, what);
              if (ex.isCancelled()) {
                throw new RxException(NtStatus.CANCELLED, what + " cancelled");
              }
              int n = p.direct().delivered();
              if (n >= 0) {
                t.stats.directReads.increment();
              } else {
                n = copyOut(p, r, what);
              }
              total += n;
              if (n < p.length()) {
                break;
              }
            }
          } finally {
            // responses still to come must not write into the caller's buffer once this returns
            for (Pending<SMB2ReadResponse> p : window) {
              p.direct().revoke(t.options().readTimeout());
            }
          }
          int done = total;
          if (!ex.unlessGivenUp(() -> dst.position(start + done))) {
            throw new RxException(NtStatus.CANCELLED, what + ": the caller stopped waiting");
          }
          return total == 0 && endOfFile ? -1 : total;
        });
  }

  /**
   * The response came whole through smbj (encrypted, or signed without a key at hand): its data is
   * copied into the slice, claimed as the receive thread claims one, so a caller that gave up (its
   * slices revoked) never gets it and a revocation waits for the copy.
   */
  private static int copyOut(Pending<SMB2ReadResponse> p, SMB2ReadResponse r, String what) {
    ByteBuffer target = p.direct().claim();
    if (target == null) {
      throw new RxException(NtStatus.CANCELLED, what + ": the caller stopped waiting");
    }
    int n = -1;
    try {
      byte[] data = r.getData();
      n = Math.min(data.length, p.length());
      target.put(target.position(), data, 0, n);
    } finally {
      p.direct().finish(n);
    }
    return n;
  }

  /**
   * MRxWrite: writes all of {@code src} at {@code offset}; returns the bytes written.
   *
   * <p>With a lease that caches writes ({@link SmbHandle#writesBehind()}) the call returns once
   * every WRITE of it is on the wire (its data is in the transport by then: the caller may reuse
   * its buffer) and leaves up to {@link SmbOptions#requestsInFlight()} answers to come: the next
   * write waits for the oldest as it needs room, so a stream of large writes keeps the server busy
   * between the caller's calls instead of draining at the end of each. What has not been answered
   * is confirmed by {@link #completeWrites} (the core's flush, close, break and finalization), by
   * any other request on the handle, and a failure among them is reported by the next write, flush
   * or close, as for data the cache holds back. Without such a lease every WRITE is answered before
   * the call returns.
   */
  static CompletableFuture<Integer> write(RxContext ctx, SmbHandle h, long offset, ByteBuffer src) {
    String what = "write " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          h.requireUsable(what);
          int len = src.remaining();
          ByteBuffer data = src.slice(); // heap or direct: WRITEs are sent from it, not copies
          SmbTransport t = h.transport();
          int chunk = t.maxWriteSize();
          Object call = new Object();
          h.writeOrder.lock();
          try {
            boolean behind = h.writesBehind();
            if (!behind) {
              settle(ex, h);
            }
            throwEarlierFailure(h, what);
            ArrayDeque<Pending<SMB2WriteResponse>> window =
                behind ? h.unconfirmed : new ArrayDeque<>();
            int issued = 0;
            while (true) {
              while (window.size() < t.options().requestsInFlight() && issued < len) {
                int n = Math.min(chunk, len - issued);
                window.add(
                    new Pending<>(
                        sendWrite(ex, h, data.slice(issued, n), offset + issued),
                        offset + issued,
                        n,
                        null,
                        call));
                issued += n;
              }
              if (behind && issued == len) {
                break; // the rest is answered later
              }
              Pending<SMB2WriteResponse> p = window.poll();
              if (p == null) {
                break;
              }
              if (p.call() != call) {
                confirm(ex, h, p);
                throwEarlierFailure(h, what);
                continue;
              }
              int written =
                  SmbStatuses.check(ex.await(t, p.future(), t.options().writeTimeout()), what)
                      .getBytesWritten();
              if (written < p.length()) {
                int done = (int) (p.offset() - offset) + written;
                writeRest(ex, h, data.slice(done, p.length() - written), p.offset() + written);
              }
            }
          } finally {
            h.writeOrder.unlock();
          }
          src.position(src.position() + len);
          return len;
        });
  }

  /**
   * MRxCompleteWrites: waits for the answers to the WRITEs completed ahead of the server and fails
   * with the first failure among them (or one remembered since the last report).
   */
  static CompletableFuture<Void> completeWrites(RxContext ctx, SmbHandle h) {
    h.writeOrder.lock();
    try {
      if (h.unconfirmed.isEmpty() && !h.hasWriteFailure()) {
        return CompletableFuture.completedFuture(null);
      }
    } finally {
      h.writeOrder.unlock();
    }
    String what = "write " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          settleAndReport(ex, h, what);
          return null;
        });
  }

  /** Before any other request on the handle: the writes it follows are answered first. */
  static void ready(Exchange<?> ex, SmbHandle h, String what) {
    settle(ex, h);
    h.requireUsable(what);
  }

  /** Confirms every unanswered WRITE, then throws the first failure not reported yet. */
  static void settleAndReport(Exchange<?> ex, SmbHandle h, String what) {
    h.writeOrder.lock();
    try {
      settle(ex, h);
      throwEarlierFailure(h, what);
    } finally {
      h.writeOrder.unlock();
    }
  }

  /** Waits for every unanswered WRITE; failures are remembered on the handle. */
  private static void settle(Exchange<?> ex, SmbHandle h) {
    h.writeOrder.lock();
    try {
      for (Pending<SMB2WriteResponse> p; (p = h.unconfirmed.poll()) != null; ) {
        confirm(ex, h, p);
      }
    } finally {
      h.writeOrder.unlock();
    }
  }

  /** Waits for one WRITE completed ahead of the server; a failure is remembered on the handle. */
  private static void confirm(Exchange<?> ex, SmbHandle h, Pending<SMB2WriteResponse> p) {
    SmbTransport t = h.transport();
    String what = "write " + h.path + " at " + p.offset();
    try {
      int written =
          SmbStatuses.check(ex.await(t, p.future(), t.options().writeTimeout()), what)
              .getBytesWritten();
      if (written < p.length()) {
        // the caller's buffer is gone: the rest cannot be sent again
        throw new RxException(
            NtStatus.UNSUCCESSFUL,
            what + ": the server wrote " + written + " of " + p.length() + " bytes");
      }
    } catch (RxException e) {
      h.failedWrite(e);
    }
  }

  private static void throwEarlierFailure(SmbHandle h, String what) {
    RxException e = h.takeWriteFailure();
    if (e != null) {
      throw new RxException(
          e.status(),
          what + ": a write completed ahead of the server failed: " + e.getMessage(),
          e);
    }
  }

  private static Future<SMB2WriteResponse> sendWrite(
      Exchange<?> ex, SmbHandle h, ByteBuffer data, long fileOffset) {
    SmbTransport t = h.transport();
    SmbView.Binding b = h.binding;
    SMB2WriteRequest req =
        new WritePayload.Request(
            t.dialect(), h.fileId, b.sessionId(), b.treeId(), new WritePayload(data, fileOffset));
    t.stats.writeRequests.increment();
    return ex.send(t, h.session(), req);
  }

  /** The server took less than a WRITE carried (it had fewer credits to spend): send the rest. */
  private static void writeRest(Exchange<?> ex, SmbHandle h, ByteBuffer rest, long fileOffset) {
    SmbTransport t = h.transport();
    int from = 0;
    int n = rest.remaining();
    while (n > 0) {
      int written =
          SmbStatuses.check(
                  ex.await(
                      t,
                      sendWrite(ex, h, rest.slice(from, n), fileOffset),
                      t.options().writeTimeout()),
                  "write " + h.path)
              .getBytesWritten();
      if (written <= 0) {
        throw new RxException(
            NtStatus.UNSUCCESSFUL, "write " + h.path + ": the server wrote 0 bytes");
      }
      from += written;
      n -= written;
      fileOffset += written;
    }
  }
}
