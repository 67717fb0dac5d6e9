package org.rdbss4j.service;

import static org.rdbss4j.core.FileAccess.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.service.protocol.Protocol;

/**
 * The copy request: copies one file between any two of a mapped device ({@code X:\f}), a UNC path
 * and a local absolute path, through the redirector for the remote sides, streaming progress
 * messages about every megabyte. Two remote sides the server can copy between (one share) are
 * copied on the server ({@link org.rdbss4j.core.Redirector#copyOnServer}, in 64 MiB ranges); the
 * reply says so ({@code onServer}).
 */
final class Copier {
  private static final int CHUNK = 1 << 20;
  private static final long PROGRESS_NANOS = 100_000_000L;

  /** A server-side copy goes in ranges of this size, with progress between them. */
  private static final long SERVER_STEP = 64L << 20;

  private final RdrService service;

  Copier(RdrService service) {
    this.service = service;
  }

  /** One side of a copy: a redirector handle or a local file. */
  private interface End extends Closeable {
    int read(long offset, ByteBuffer b) throws IOException;

    void write(long offset, ByteBuffer b) throws IOException;

    long size() throws IOException;

    @Override
    void close();
  }

  private record Remote(FileObject f) implements End {
    public int read(long offset, ByteBuffer b) {
      int start = b.position();
      int n = f.read(offset, b);
      if (n > 0 && b.position() == start) {
        b.position(start + n);
      }
      return n;
    }

    public void write(long offset, ByteBuffer b) {
      long at = offset;
      while (b.hasRemaining()) {
        int start = b.position();
        int n = f.write(at, b);
        if (b.position() == start) {
          b.position(start + n);
        }
        at += n;
      }
    }

    public long size() {
      return f.queryInformation().size();
    }

    public void close() {
      f.close();
    }
  }

  private record Local(FileChannel c) implements End {
    public int read(long offset, ByteBuffer b) throws IOException {
      return c.read(b, offset);
    }

    public void write(long offset, ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        offset += c.write(b, offset);
      }
    }

    public long size() throws IOException {
      return c.size();
    }

    public void close() {
      try {
        c.close();
      } catch (IOException e) {
        throw new RxException(NtStatus.UNSUCCESSFUL, e.toString());
      }
    }
  }

  void copy(ClientSession s, Object id, Args a) throws IOException {
    String src = a.req("source");
    String dst = a.req("destination");
    CallerIdentity who = s.identity();
    long done;
    long total;
    boolean onServer = false;
    try (End in = open(who, src, null)) {
      total = in.size();
      Progress progress = new Progress(s, id, total);
      try (End out = open(who, dst, baseName(src))) {
        long n = -1;
        if (in instanceof Remote from && out instanceof Remote to) {
          // within one share the server copies (FSCTL_SRV_COPYCHUNK over SMB): no data through us
          n = onServer(who, from, to, progress);
        }
        onServer = n >= 0;
        done = onServer ? n : stream(in, out, progress);
      }
    }
    // only once the destination is closed: its close writes the data the cache held back, and a
    // failure there is the copy's failure
    Map<String, Object> r = Protocol.ok(id);
    r.putAll(progress(done, total));
    r.put("onServer", onServer);
    s.send(r);
  }

  /** The server copies; the bytes copied, or -1 when it cannot (nothing was copied). */
  private long onServer(CallerIdentity who, Remote from, Remote to, Progress progress)
      throws IOException {
    try {
      return service
          .redirector()
          .copyOnServer(
              RxContext.of(who),
              from.f(),
              to.f(),
              SERVER_STEP,
              copied -> {
                try {
                  progress.tick(copied);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // the client went away: the copy stops, as a streamed one does
    }
  }

  /** Copies through this process, a megabyte at a time; the bytes copied. */
  private static long stream(End in, End out, Progress progress) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    long done = 0;
    while (true) {
      buf.clear();
      int n = in.read(done, buf);
      if (n <= 0) {
        return done;
      }
      buf.flip();
      out.write(done, buf);
      done += n;
      progress.tick(done);
    }
  }

  /** Progress messages to the client, at most one per {@value #PROGRESS_NANOS} ns. */
  private static final class Progress {
    private final ClientSession session;
    private final Object id;
    private final long total;
    private long last = System.nanoTime();

    Progress(ClientSession session, Object id, long total) {
      this.session = session;
      this.id = id;
      this.total = total;
    }

    void tick(long done) throws IOException {
      if (System.nanoTime() - last > PROGRESS_NANOS) {
        last = System.nanoTime();
        session.send(Protocol.stream(id, "progress", progress(done, total)));
      }
    }
  }

  private static Map<String, Object> progress(long done, long total) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes", done);
    m.put("total", total);
    return m;
  }

  private static String baseName(String p) {
    String n = p.replace('\\', '/');
    return n.substring(n.lastIndexOf('/') + 1);
  }

  /** Opens the source (when {@code srcName} is null) or the destination of a copy. */
  private End open(CallerIdentity who, String path, String srcName) throws IOException {
    boolean dest = srcName != null;
    String p = path;
    if (dest && (p.endsWith("\\") || p.endsWith("/"))) {
      p = p + srcName;
    }
    CreateRequest req =
        dest
            ? new CreateRequest(
                "",
                GENERIC_WRITE,
                FILE_SHARE_READ,
                FILE_OVERWRITE_IF,
                FILE_NON_DIRECTORY_FILE,
                ATTRIBUTE_NORMAL)
            : CreateRequest.openRead("").withOptions(FILE_NON_DIRECTORY_FILE);
    if (RdrService.isDevicePath(p) || RdrService.isUncPath(p)) {
      return new Remote(service.open(who, p, req));
    }
    Path local = Path.of(p);
    if (!local.isAbsolute()) {
      throw new RxException(NtStatus.OBJECT_PATH_SYNTAX_BAD, "a local path must be absolute: " + p);
    }
    if (dest && Files.isDirectory(local)) {
      local = local.resolve(srcName);
    }
    try {
      return new Local(
          dest
              ? FileChannel.open(
                  local,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING)
              : FileChannel.open(local, StandardOpenOption.READ));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new RxException(NtStatus.OBJECT_NAME_NOT_FOUND, "no such file: " + local);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new RxException(NtStatus.ACCESS_DENIED, "access denied: " + local);
    }
  }
}
