package org.rdbss4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The on-disk layout of one private Samba instance and its {@code smb.conf}.
 *
 * <p>Every directory Samba writes to is redirected into the instance's temporary directory, so the
 * instance neither needs nor touches {@code /etc/samba}, {@code /var/lib/samba}, {@code /run/samba}
 * or {@code /var/cache/samba}.
 */
final class SambaConfig {
  /** A share: a directory under {@code shares/}, optionally limited to some users. */
  record Share(String name, boolean readOnly, List<String> validUsers) {}

  /** The only address smbd listens on. */
  static final String HOST = "127.0.0.1";

  private static final Set<PosixFilePermission> OPEN_DIR =
      PosixFilePermissions.fromString("rwxrwxrwx");
  private static final Set<PosixFilePermission> PUBLIC_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  final Path root;
  final Path configFile;
  final Path logDir;
  final Path authDir;
  final Path sharesDir;
  private final List<Share> shares;

  private SambaConfig(Path root, List<Share> shares) {
    this.root = root;
    this.configFile = root.resolve("smb.conf");
    this.logDir = root.resolve("log");
    this.authDir = root.resolve("auth");
    this.sharesDir = root.resolve("shares");
    this.shares = List.copyOf(shares);
  }

  /**
   * Creates a fresh temporary directory under {@code parent} with the directories Samba needs and
   * one directory per share. The root and {@code shares/} are made traversable (0755) and the share
   * directories writable by everyone (0777), because smbd accesses them as the logged-on Unix user,
   * not as root.
   */
  static SambaConfig create(Path parent, List<Share> shares) throws IOException {
    Path root = Files.createTempDirectory(parent, "rdbss4j-samba-");
    SambaConfig config = new SambaConfig(root, shares);
    Files.setPosixFilePermissions(root, PUBLIC_DIR);
    for (String dir : List.of("lock", "state", "cache", "pid", "ncalrpc", "binddns", "log")) {
      Files.setPosixFilePermissions(Files.createDirectory(root.resolve(dir)), PUBLIC_DIR);
    }
    for (String dir : List.of("private", "auth")) {
      Files.setPosixFilePermissions(Files.createDirectory(root.resolve(dir)), PRIVATE_DIR);
    }
    Files.setPosixFilePermissions(Files.createDirectory(config.sharesDir), PUBLIC_DIR);
    for (Share share : shares) {
      Files.setPosixFilePermissions(Files.createDirectory(config.shareDir(share.name())), OPEN_DIR);
    }
    return config;
  }

  Path shareDir(String share) {
    return sharesDir.resolve(share);
  }

  List<Share> shares() {
    return shares;
  }

  /** Writes {@code smb.conf} for an smbd that listens on 127.0.0.1:{@code port} only. */
  void write(int port) throws IOException {
    Files.writeString(configFile, render(port));
  }

  String render(int port) {
    StringBuilder conf = new StringBuilder();
    conf.append("# Private smbd written by rdbss4j-testkit; it is deleted with its directory.\n")
        .append("[global]\n");
    option(conf, "server role", "standalone server");
    option(conf, "workgroup", "WORKGROUP");
    option(conf, "netbios name", "RDBSS4JTEST");
    option(conf, "interfaces", HOST);
    option(conf, "bind interfaces only", "yes");
    option(conf, "smb ports", Integer.toString(port));
    option(conf, "disable netbios", "yes");
    option(conf, "passdb backend", "tdbsam:" + root.resolve("private/passdb.tdb"));
    option(conf, "private dir", root.resolve("private").toString());
    option(conf, "lock directory", root.resolve("lock").toString());
    option(conf, "state directory", root.resolve("state").toString());
    option(conf, "cache directory", root.resolve("cache").toString());
    option(conf, "pid directory", root.resolve("pid").toString());
    option(conf, "ncalrpc dir", root.resolve("ncalrpc").toString());
    option(conf, "binddns dir", root.resolve("binddns").toString());
    option(conf, "usershare path", "");
    option(conf, "log file", logDir.resolve("log.smbd").toString());
    option(conf, "log level", "1");
    option(conf, "max log size", "0");
    option(conf, "server min protocol", "SMB2_02");
    option(conf, "server signing", "auto");
    option(conf, "map to guest", "never");
    option(conf, "load printers", "no");
    option(conf, "printing", "bsd");
    option(conf, "printcap name", "/dev/null");
    option(conf, "disable spoolss", "yes");
    option(conf, "create mask", "0666");
    option(conf, "directory mask", "0777");
    // SMB2 leases and oplocks for the caching tests (Samba's defaults, stated): breaks go between
    // clients of this smbd only, not through the kernel.
    option(conf, "oplocks", "yes");
    option(conf, "level2 oplocks", "yes");
    option(conf, "smb2 leases", "yes");
    option(conf, "kernel oplocks", "no");
    // per-request counters for tests that count what a client sent (smbstatus --profile)
    option(conf, "smbd profiling level", "count");
    for (Share share : shares) {
      conf.append('[').append(share.name()).append("]\n");
      option(conf, "path", shareDir(share.name()).toString());
      option(conf, "read only", share.readOnly() ? "yes" : "no");
      option(conf, "browseable", "yes");
      if (!share.validUsers().isEmpty()) {
        option(conf, "valid users", String.join(" ", share.validUsers()));
      }
    }
    return conf.toString();
  }

  private static void option(StringBuilder conf, String name, String value) {
    conf.append("  ").append(name).append(" = ").append(value).append('\n');
  }
}
