package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rdbss4j.testkit.SambaExtension;
import org.rdbss4j.testkit.SambaServer;

/**
 * The behaviour suite on a Samba share ({@code \\127.0.0.1\rw} of the test kit's private smbd)
 * through rdbss4j and the SMB mini-redirector, each test in a new directory of the share.
 */
class SmbFileSystemBehaviourTest extends FileSystemBehaviour {
  @RegisterExtension static final SambaExtension SAMBA = new SambaExtension();
  private static final AtomicInteger TESTS = new AtomicInteger();

  private SmbRig rig;
  private Path base;

  @Override
  Path base() throws IOException {
    if (base == null) {
      rig = new SmbRig(SAMBA.server());
      RdbssFileSystem fs = rig.open(SambaServer.RW, SambaServer.ALICE);
      base = Files.createDirectory(fs.getPath("\\t" + TESTS.incrementAndGet()));
    }
    return base;
  }

  @Override
  Capabilities caps() {
    return Capabilities.SAMBA_SHARE;
  }

  /** Samba arms a watch asynchronously ({@link SmbRig#awaitSambaWatchArmed}). */
  @Override
  void afterWatchRegistered() throws InterruptedException {
    SmbRig.awaitSambaWatchArmed();
  }

  @AfterEach
  void closeTheSmbRedirector() throws IOException {
    if (rig != null) {
      rig.close();
    }
  }
}
