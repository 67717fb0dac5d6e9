package org.rdbss4j.service.fuse;

import static org.rdbss4j.core.FileAccess.*;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.VNetRoot;

/**
 * The FUSE file system of one mapped device: every FUSE call becomes RDBSS requests on the device's
 * V_NET_ROOT, for the identity of the calling uid. open and create are IRP_MJ_CREATE (which
 * collapses onto a delayed close when it can); release is cleanup and close; path operations
 * (getattr, unlink, rmdir, rename, truncate, utimens) open, act and close. A handle orphaned by a
 * forced delete fails every request with EIO; its release succeeds.
 */
final class RedirectedFileSystem implements FuseOperations {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RedirectedFileSystem.class);
  private static final int O_ACCMODE = 3;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;
  private static final int O_EXCL = 0200;
  private static final int O_TRUNC = 01000;
  private static final int O_APPEND = 02000;

  /** An open file or directory: the caller's FILE_OBJECT. */
  record Handle(FileObject file, boolean append) {}

  private final Redirector rdr;
  private final VNetRoot vNetRoot;
  private final Errno errno;
  private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
  private final AtomicLong nextFh = new AtomicLong(1);
  private final Runnable afterRelease;
  private final PathOperations paths = new PathOperations(this::open);

  RedirectedFileSystem(Redirector rdr, VNetRoot vNetRoot, Errno errno, Runnable afterRelease) {
    this.rdr = rdr;
    this.vNetRoot = vNetRoot;
    this.errno = errno;
    this.afterRelease = afterRelease;
  }

  /** How many FUSE handles are open. */
  int openHandles() {
    return handles.size();
  }

  /** The handle of a file handle number, for {@link FuseLocks}. */
  Handle handle(long fh) {
    return handles.get(fh);
  }

  /** The identity of the uid making the current FUSE request. */
  CallerIdentity caller() {
    int uid = FuseNative.callerUid();
    CallerIdentity owner = vNetRoot.identity();
    return uid == owner.logonId() ? owner : CallerIdentity.of(uid, "uid " + uid);
  }

  RxContext ctx() {
    return RxContext.of(caller());
  }

  @Override
  public Errno errno() {
    return errno;
  }

  @Override
  public Set<Operation> supportedOperations() {
    return EnumSet.of(
        Operation.INIT,
        Operation.GET_ATTR,
        Operation.OPEN,
        Operation.CREATE,
        Operation.READ,
        Operation.WRITE,
        Operation.FLUSH,
        Operation.FSYNC,
        Operation.RELEASE,
        Operation.OPEN_DIR,
        Operation.READ_DIR,
        Operation.RELEASE_DIR,
        Operation.MKDIR,
        Operation.RMDIR,
        Operation.UNLINK,
        Operation.RENAME,
        Operation.TRUNCATE,
        Operation.UTIMENS,
        Operation.CHMOD,
        Operation.STATFS);
  }

  static String rel(String fusePath) {
    String p = fusePath.startsWith("/") ? fusePath.substring(1) : fusePath;
    return p.replace('/', '\\');
  }

  private int run(Supplier<Integer> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Errnos.of(e);
    }
  }

  private FileObject open(String path, CreateRequest req) {
    return rdr.create(ctx(), vNetRoot, req.withPath(rel(path)));
  }

  private long register(FileObject f, boolean append, FileInfo fi) {
    long fh = nextFh.getAndIncrement();
    handles.put(fh, new Handle(f, append));
    fi.setFh(fh);
    FuseNative.setDirectIo(fi);
    return fh;
  }

  private Handle handle(FileInfo fi) {
    Handle h = fi == null ? null : handles.get(fi.getFh());
    if (h == null) {
      throw new RxException(NtStatus.INVALID_HANDLE, "no such FUSE handle");
    }
    return h;
  }

  @Override
  public void init(FuseConnInfo conn, FuseConfig cfg) {
    // jfuse wants INIT bound for readdirplus; nothing to configure beyond the mount options
  }

  @Override
  public int getattr(String path, Stat stat, FileInfo fi) {
    return run(
        () -> {
          Handle h = fi == null ? null : handles.get(fi.getFh());
          if (h != null) {
            Stats.fill(stat, h.file().queryInformation());
            return 0;
          }
          CreateRequest attrs =
              new CreateRequest(
                  "", FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
          try (FileObject f = open(path, attrs)) {
            Stats.fill(stat, f.queryInformation());
          }
          return 0;
        });
  }

  private static int access(int flags) {
    return switch (flags & O_ACCMODE) {
      case O_WRONLY -> GENERIC_WRITE;
      case O_RDWR -> GENERIC_READ | GENERIC_WRITE;
      default -> GENERIC_READ;
    };
  }

  @Override
  public int open(String path, FileInfo fi) {
    return run(
        () -> {
          int flags = fi.getFlags();
          boolean trunc = (flags & O_TRUNC) != 0;
          CreateRequest r =
              new CreateRequest(
                  "",
                  access(flags),
                  FILE_SHARE_ALL,
                  trunc ? FILE_OVERWRITE : FILE_OPEN,
                  FILE_NON_DIRECTORY_FILE,
                  0);
          register(open(path, r), (flags & O_APPEND) != 0, fi);
          return 0;
        });
  }

  @Override
  public int create(String path, int mode, FileInfo fi) {
    return run(
        () -> {
          int flags = fi.getFlags();
          int disposition =
              (flags & O_EXCL) != 0
                  ? FILE_CREATE
                  : (flags & O_TRUNC) != 0 ? FILE_OVERWRITE_IF : FILE_OPEN_IF;
          CreateRequest r =
              new CreateRequest(
                  "",
                  access(flags) | GENERIC_READ,
                  FILE_SHARE_ALL,
                  disposition,
                  FILE_NON_DIRECTORY_FILE,
                  (mode & 0200) == 0 ? ATTRIBUTE_READONLY : ATTRIBUTE_NORMAL);
          register(open(path, r), (flags & O_APPEND) != 0, fi);
          return 0;
        });
  }

  @Override
  public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(
        () -> {
          FileObject f = handle(fi).file();
          int total = 0;
          while (buf.hasRemaining()) {
            int start = buf.position();
            int n = f.read(offset + total, buf);
            if (n <= 0) {
              break;
            }
            if (buf.position() == start) {
              buf.position(start + n);
            }
            total += n;
          }
          return total;
        });
  }

  @Override
  public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
    return run(
        () -> {
          Handle h = handle(fi);
          long at = h.append() ? h.file().queryInformation().size() : offset;
          return h.file().write(at, buf);
        });
  }

  /**
   * Called at every close(2): an orphaned handle has nothing to flush, and its close succeeds; a
   * handle not opened for writing has nothing to flush either (servers refuse a FLUSH on it).
   */
  @Override
  public int flush(String path, FileInfo fi) {
    return run(
        () -> {
          FileObject f = handle(fi).file();
          if (!f.srvOpen().isOrphaned() && writable(f)) {
            f.flush();
          }
          return 0;
        });
  }

  @Override
  public int fsync(String path, int datasync, FileInfo fi) {
    return run(
        () -> {
          FileObject f = handle(fi).file();
          if (writable(f)) {
            f.flush();
          }
          return 0;
        });
  }

  private static boolean writable(FileObject f) {
    return org.rdbss4j.core.FileAccess.writes(f.srvOpen().desiredAccess());
  }

  @Override
  public int release(String path, FileInfo fi) {
    Handle h = fi == null ? null : handles.remove(fi.getFh());
    if (h != null) {
      try {
        h.file().close();
      } catch (RuntimeException e) {
        LOG.warn("release of {} failed: {}", path, e.toString());
      }
    }
    afterRelease.run();
    return 0;
  }

  @Override
  public int opendir(String path, FileInfo fi) {
    return run(
        () -> {
          register(open(path, CreateRequest.openDirectory("")), false, fi);
          return 0;
        });
  }

  @Override
  public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
    return run(
        () -> {
          Handle h = handles.get(fi.getFh());
          List<org.rdbss4j.core.FileInfo> entries =
              h != null ? h.file().queryDirectory("*") : List.of();
          boolean plus = (flags & FUSE_READDIR_PLUS) != 0;
          filler.fill(".", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
          filler.fill("..", s -> s.setMode(Stat.S_IFDIR | 0755), 0, 0);
          for (org.rdbss4j.core.FileInfo e : entries) {
            if (filler.fill(
                    e.name(), s -> Stats.fill(s, e), 0, plus ? DirFiller.FUSE_FILL_DIR_PLUS : 0)
                != 0) {
              break;
            }
          }
          return 0;
        });
  }

  @Override
  public int releasedir(String path, FileInfo fi) {
    return release(path, fi);
  }

  @Override
  public int mkdir(String path, int mode) {
    return run(() -> paths.mkdir(path));
  }

  @Override
  public int unlink(String path) {
    return run(() -> paths.delete(path, FILE_NON_DIRECTORY_FILE));
  }

  @Override
  public int rmdir(String path) {
    return run(() -> paths.delete(path, FILE_DIRECTORY_FILE));
  }

  @Override
  public int rename(String oldpath, String newpath, int flags) {
    return run(() -> paths.rename(oldpath, newpath, flags));
  }

  private int withWritable(String path, FileInfo fi, Consumer<FileObject> op) {
    Handle h = fi == null ? null : handles.get(fi.getFh());
    return run(() -> paths.withWritable(path, h == null ? null : h.file(), op));
  }

  @Override
  public int truncate(String path, long size, FileInfo fi) {
    return withWritable(path, fi, f -> f.setInformation(new SetInfo.EndOfFile(size)));
  }

  @Override
  public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
    Instant a = atime.getOptional().orElse(null);
    Instant m = mtime.getOptional().orElse(null);
    return withWritable(path, fi, f -> f.setInformation(new SetInfo.Basic(null, a, m, -1)));
  }

  /** The owner's write bit is FILE_ATTRIBUTE_READONLY; other mode bits have no NT meaning. */
  @Override
  public int chmod(String path, int mode, FileInfo fi) {
    int attributes = (mode & 0200) == 0 ? ATTRIBUTE_READONLY : ATTRIBUTE_NORMAL;
    return withWritable(
        path, fi, f -> f.setInformation(new SetInfo.Basic(null, null, null, attributes)));
  }

  @Override
  public int statfs(String path, Statvfs statvfs) {
    return run(
        () -> {
          long[] v = rdr.queryVolume(ctx(), vNetRoot);
          long block = 4096;
          statvfs.setBsize(block);
          statvfs.setFrsize(block);
          statvfs.setBlocks(v[0] / block);
          statvfs.setBfree(v[1] / block);
          statvfs.setBavail(v[1] / block);
          statvfs.setNameMax(255);
          return 0;
        });
  }
}
