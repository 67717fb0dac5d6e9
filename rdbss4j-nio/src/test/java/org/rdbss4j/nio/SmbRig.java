package org.rdbss4j.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.smb.SmbMiniRedirector;
import org.rdbss4j.smb.SmbOptions;
import org.rdbss4j.testkit.SambaServer;

/**
 * A redirector with the SMB mini-redirector in front of the test kit's Samba (shares {@code rw},
 * {@code ro} and {@code alice}; users alice and bob), and the file systems a test opens on it.
 * {@link #close()} closes them and ends with a leak check: after a drain no node is live and the
 * prefix table is empty.
 */
final class SmbRig implements AutoCloseable {
  final SambaServer samba;
  final Redirector rdr;

  /** The SMB mini-redirector as the redirector sees it: counts reads and server-side copies. */
  final ObservedMiniRedirector observed;

  private final List<FileSystem> opened = new ArrayList<>();

  SmbRig(SambaServer samba) {
    this(samba, RedirectorConfig.builder());
  }

  SmbRig(SambaServer samba, RedirectorConfig.Builder config) {
    this.samba = samba;
    SmbMiniRedirector smb =
        new SmbMiniRedirector(
            SmbOptions.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .build());
    observed = new ObservedMiniRedirector(smb);
    rdr =
        Redirector.start(
            config.miniRedirector(observed).scavengerTimeout(Duration.ofMillis(300)).build());
  }

  /** {@code rdbss://127.0.0.1:port/share}. */
  URI uri(String share) {
    return URI.create("rdbss://" + SambaServer.HOST + ":" + samba.port() + "/" + share);
  }

  /** The env for a user of the test kit, with the user's password, on this redirector. */
  Map<String, Object> env(String user) {
    Map<String, Object> env = new HashMap<>();
    env.put(RdbssEnv.REDIRECTOR.name(), rdr);
    env.put(RdbssEnv.USER.name(), user);
    env.put(RdbssEnv.PASSWORD.name(), samba.password(user));
    return env;
  }

  /** A file system for a Samba share as a user; closed by {@link #close()}. */
  RdbssFileSystem open(String share, String user) throws IOException {
    RdbssFileSystem fs = (RdbssFileSystem) FileSystems.newFileSystem(uri(share), env(user));
    opened.add(fs);
    return fs;
  }

  @Override
  public void close() throws IOException {
    NioTestBase.closeAndCheckForLeaks(opened, rdr);
  }

  /**
   * Samba arms a watch in two steps: smbd registers it with its notifyd process, and notifyd then
   * tells every smbd which directories are watched; until that reaches the smbd serving us, smbd
   * does not report changes in the directory, even ours made after the CHANGE_NOTIFY was sent (the
   * provider waits until it is). A moment is left for it.
   */
  static void awaitSambaWatchArmed() throws InterruptedException {
    Thread.sleep(500);
  }
}
