package org.rdbss4j.service.fuse;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.service.DeviceMounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts mapped devices with FUSE through jfuse and the versioned {@code libfuse3.so.3}. Each mount
 * serves one V_NET_ROOT; every open file is {@code direct_io} (the kernel keeps no page cache, so
 * an orphaned handle fails with EIO on its next read, as on Windows). A retired mount lives on
 * until its last handle is released, then its FUSE session is closed and the mount point removed.
 */
public final class FuseMounter implements DeviceMounter {
  private static final Logger LOG = LoggerFactory.getLogger(FuseMounter.class);

  private final String reason;

  private FuseMounter(String reason) {
    this.reason = reason;
  }

  /** A mounter for this machine; {@link #available()} says whether FUSE can be used. */
  public static FuseMounter probe() {
    if (!Files.exists(Path.of("/dev/fuse"))) {
      return new FuseMounter(
          "/dev/fuse is missing (no FUSE kernel module or device in this container)");
    }
    if (!Files.exists(Path.of(FuseNative.LIBRARY))) {
      return new FuseMounter(FuseNative.LIBRARY + " is missing: install libfuse3-3 and fuse3");
    }
    if (fusermount() == null) {
      return new FuseMounter("fusermount3 is not on the PATH: install fuse3");
    }
    return new FuseMounter("");
  }

  private static String fusermount() {
    for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(d, "fusermount3"))) {
        return d + "/fusermount3";
      }
    }
    return null;
  }

  @Override
  public boolean available() {
    return reason.isEmpty();
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public Mount mount(Redirector rdr, VNetRoot v, Path dir, Runnable onFinalized)
      throws IOException {
    if (!available()) {
      throw new IOException("FUSE is not available: " + reason);
    }
    unmountStale(dir);
    Files.createDirectories(dir);
    FuseMount m = new FuseMount(dir, v, onFinalized);
    FuseBuilder builder = Fuse.builder();
    builder.setLibraryPath(FuseNative.LIBRARY);
    RedirectedFileSystem fs = new RedirectedFileSystem(rdr, v, builder.errno(), m::afterRelease);
    m.fs = fs;
    m.fuse = builder.build(fs);
    try {
      FuseLocks.install(m.fuse, fs, m.arena);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("POSIX locks on {} stay local to the kernel: {}", dir, e.toString());
    }
    String fsName = v.uncName().replace('\\', '/');
    try {
      m.fuse.mount(
          "rdrd", dir, "-o", "fsname=" + fsName.replace(",", "_"), "-o", "subtype=rdbss4j");
    } catch (FuseMountFailedException | RuntimeException e) {
      m.closeQuietly();
      throw new IOException("mounting " + dir + " failed: " + e.getMessage(), e);
    }
    LOG.info("mounted {} at {}", v.uncName(), dir);
    return m;
  }

  /** Clears a mount left behind by a killed rdrd ({@code fusermount3 -u -z}). */
  public static void unmountStale(Path dir) {
    try {
      String info = Files.readString(Path.of("/proc/self/mountinfo"));
      String escaped = dir.toAbsolutePath().toString().replace(" ", "\\040");
      if (info.contains(" " + escaped + " ")) {
        LOG.info("clearing a stale mount at {}", dir);
        lazyUnmount(dir);
      }
    } catch (IOException e) {
      LOG.debug("cannot read mountinfo: {}", e.toString());
    }
  }

  static void lazyUnmount(Path dir) {
    String fm = fusermount();
    List<List<String>> commands =
        fm == null
            ? List.of(List.of("umount", "-l", dir.toString()))
            : List.of(
                List.of(fm, "-u", "-z", dir.toString()), List.of("umount", "-l", dir.toString()));
    for (List<String> cmd : commands) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return;
        }
        LOG.debug("{} failed: {}", cmd, out);
      } catch (IOException e) {
        LOG.debug("{} failed: {}", cmd, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One FUSE session: mounted, then retired (unmounts when idle), then closed. */
  private static final class FuseMount implements Mount {
    private final Path dir;
    private final VNetRoot v;
    private final Runnable onFinalized;
    final Arena arena = Arena.ofShared();
    volatile RedirectedFileSystem fs;
    volatile Fuse fuse;
    private boolean retired;
    private boolean closed;
    private boolean finalizedReported;

    FuseMount(Path dir, VNetRoot v, Runnable onFinalized) {
      this.dir = dir;
      this.v = v;
      this.onFinalized = onFinalized;
    }

    @Override
    public Path path() {
      return dir;
    }

    @Override
    public VNetRoot vNetRoot() {
      return v;
    }

    @Override
    public int openHandles() {
      RedirectedFileSystem f = fs;
      return f == null ? 0 : f.openHandles();
    }

    /** After each release (on a FUSE thread): report a finalized connection, free when idle. */
    void afterRelease() {
      boolean report = false;
      boolean free = false;
      synchronized (this) {
        if (!finalizedReported && (v.isUpperFinalizationDone() || v.isFreed())) {
          finalizedReported = true;
          report = true;
        }
        if (retired && !closed && openHandles() == 0) {
          free = true;
        }
      }
      if (report) {
        Thread.ofVirtual().start(onFinalized);
      }
      if (free) {
        Thread.ofVirtual().start(this::close);
      }
    }

    @Override
    public void retire() {
      synchronized (this) {
        if (retired || closed) {
          return;
        }
        retired = true;
      }
      if (openHandles() == 0) {
        close();
      } else {
        LOG.info("{} unmounts when its {} open handles close", dir, openHandles());
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        retired = true;
      }
      closeQuietly();
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        LOG.debug("mount point {} left: {}", dir, e.toString());
      }
      LOG.info("unmounted {}", dir);
    }

    void closeQuietly() {
      try {
        if (fuse != null) {
          fuse.close();
        }
        arena.close();
      } catch (java.util.concurrent.TimeoutException e) {
        // the FUSE loop may still call in: keep the lock upcall stub alive rather than crash
        LOG.warn("the FUSE session of {} did not end in time; its memory is kept", dir);
      } catch (RuntimeException e) {
        LOG.warn("closing the FUSE session of {}: {}", dir, e.toString());
      }
    }
  }
}
