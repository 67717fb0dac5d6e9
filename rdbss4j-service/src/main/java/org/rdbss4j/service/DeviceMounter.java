package org.rdbss4j.service;

import java.io.IOException;
import java.nio.file.Path;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.VNetRoot;

/**
 * Makes a mapped device visible to ordinary programs: the FUSE front end ({@code
 * org.rdbss4j.service.fuse.FuseMounter}), or {@link #unavailable} where FUSE cannot run.
 */
public interface DeviceMounter {
  /** A mounted device. */
  interface Mount {
    /** The mount point. */
    Path path();

    /** The connection the mount serves. */
    VNetRoot vNetRoot();

    /** How many files and directories are open through the mount. */
    int openHandles();

    /**
     * Unmounts as soon as no file is open through the mount: at once when idle, else at the last
     * release. Until then handles still open keep working, or fail with EIO once orphaned (their
     * close succeeds). The mount stays attached meanwhile because the kernel drops the RELEASE of a
     * file closed on a lazily detached FUSE mount, which would leak its FOBX.
     */
    void retire();

    /** Unmounts at once; open handles fail afterwards. */
    void close();
  }

  /** Whether mounts can be made; when not, {@link #reason()} says why. */
  boolean available();

  /** Why mounts cannot be made, or an empty string. */
  String reason();

  /**
   * Mounts the connection at {@code dir} (created if missing).
   *
   * @param onFinalized called (on some thread) when the connection turns out to be finalized while
   *     mounted, e.g. after a lazy delete's last handle closed
   */
  Mount mount(Redirector rdr, VNetRoot v, Path dir, Runnable onFinalized) throws IOException;

  /** A mounter that cannot mount, for machines without FUSE. */
  static DeviceMounter unavailable(String reason) {
    return new DeviceMounter() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public String reason() {
        return reason;
      }

      @Override
      public Mount mount(Redirector rdr, VNetRoot v, Path dir, Runnable onFinalized)
          throws IOException {
        throw new IOException("FUSE is not available: " + reason);
      }
    };
  }
}
