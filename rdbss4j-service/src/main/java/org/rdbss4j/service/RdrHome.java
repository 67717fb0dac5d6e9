package org.rdbss4j.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The state directory of rdrd, {@code RDR_HOME} (default {@code ~/.rdr}): the control socket {@code
 * rdrd.sock}, the {@code config} file, the persistent {@code connections} list, {@code
 * logs/rdrd.log}, the default share {@code shares/share} and the mount root {@code mnt/}.
 *
 * @param dir the directory
 */
public record RdrHome(Path dir) {
  /** The environment variable that overrides the default location. */
  public static final String ENV = "RDR_HOME";

  /** {@code $RDR_HOME}, or {@code ~/.rdr}. */
  public static RdrHome fromEnvironment() {
    String env = System.getenv(ENV);
    Path p =
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of(System.getProperty("user.home"), ".rdr");
    return new RdrHome(p.toAbsolutePath().normalize());
  }

  public Path socket() {
    return dir.resolve("rdrd.sock");
  }

  public Path config() {
    return dir.resolve("config");
  }

  public Path connections() {
    return dir.resolve("connections");
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  public Path log() {
    return logs().resolve("rdrd.log");
  }

  public Path pidFile() {
    return dir.resolve("rdrd.pid");
  }

  public Path lockFile() {
    return dir.resolve("rdrd.lock");
  }

  public Path mountRoot() {
    return dir.resolve("mnt");
  }

  /** The default share's directory, served as {@code \\local\share}. */
  public Path defaultShare() {
    return dir.resolve("shares").resolve("share");
  }

  /** Creates the directory (mode 0700) and its subdirectories. */
  public void create() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
    Files.createDirectories(logs());
    Files.createDirectories(mountRoot());
  }
}
