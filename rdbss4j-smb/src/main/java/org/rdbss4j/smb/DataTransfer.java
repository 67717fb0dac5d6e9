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

  private record Pending<P>(Future<P> future, long offset, int length, DirectRead direct) {}

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
          h.requireUsable(what);
          SmbTransport t = h.transport();
          SmbView.Binding b = h.binding;
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
                DirectRead direct = new DirectRead(slice);
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
                    new Pending<>(ex.send(t, h.session(), req), offset + issued, len, direct));
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
                // the response came whole through smbj (signed, encrypted...): copy its data
                byte[] data = r.getData();
                n = Math.min(data.length, p.length());
                dst.put(start + total, data, 0, n);
              }
              total += n;
              if (n < p.length()) {
                break;
              }
            }
          } finally {
            // responses still to come must not write into the caller's buffer once this returns
            for (Pending<SMB2ReadResponse> p : window) {
              p.direct()
                  .revoke(
                      t.options().readTimeout(),
                      () ->
                          t.lost(
                              new RxException(
                                  NtStatus.IO_TIMEOUT,
                                  what + ": the server stopped in the middle of a response")));
            }
          }
          dst.position(start + total);
          return total == 0 && endOfFile ? -1 : total;
        });
  }

  /** MRxWrite: writes all of {@code src} at {@code offset}; returns the bytes written. */
  static CompletableFuture<Integer> write(RxContext ctx, SmbHandle h, long offset, ByteBuffer src) {
    String what = "write " + h.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          h.requireUsable(what);
          int len = src.remaining();
          byte[] data;
          int base;
          if (src.hasArray()) {
            data = src.array();
            base = src.arrayOffset() + src.position();
          } else {
            data = new byte[len];
            src.duplicate().get(data);
            base = 0;
          }
          SmbTransport t = h.transport();
          int chunk = t.maxWriteSize();
          ArrayDeque<Pending<SMB2WriteResponse>> window = new ArrayDeque<>();
          int issued = 0;
          while (true) {
            while (window.size() < t.options().requestsInFlight() && issued < len) {
              int n = Math.min(chunk, len - issued);
              window.add(
                  new Pending<>(
                      sendWrite(ex, h, data, base + issued, n, offset + issued),
                      offset + issued,
                      n,
                      null));
              issued += n;
            }
            Pending<SMB2WriteResponse> p = window.poll();
            if (p == null) {
              break;
            }
            int written =
                SmbStatuses.check(ex.await(t, p.future(), t.options().writeTimeout()), what)
                    .getBytesWritten();
            if (written < p.length()) {
              int done = (int) (p.offset() - offset) + written;
              writeRest(ex, h, data, base + done, p.length() - written, p.offset() + written);
            }
          }
          src.position(src.position() + len);
          return len;
        });
  }

  private static Future<SMB2WriteResponse> sendWrite(
      Exchange<?> ex, SmbHandle h, byte[] data, int from, int n, long fileOffset) {
    SmbTransport t = h.transport();
    SmbView.Binding b = h.binding;
    SMB2WriteRequest req =
        new WritePayload.Request(
            t.dialect(),
            h.fileId,
            b.sessionId(),
            b.treeId(),
            new WritePayload(data, from, n, fileOffset));
    t.stats.writeRequests.increment();
    return ex.send(t, h.session(), req);
  }

  /** The server took less than a WRITE carried (it had fewer credits to spend): send the rest. */
  private static void writeRest(
      Exchange<?> ex, SmbHandle h, byte[] data, int from, int n, long fileOffset) {
    SmbTransport t = h.transport();
    while (n > 0) {
      int written =
          SmbStatuses.check(
                  ex.await(
                      t, sendWrite(ex, h, data, from, n, fileOffset), t.options().writeTimeout()),
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
