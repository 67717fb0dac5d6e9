package org.rdbss4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

/**
 * Temporary share directories, a redirector over the local mini-redirector, a mapping of the test
 * kit's Samba share, and file helpers, for benchmarks.
 */
final class BenchShares {
  private BenchShares() {}

  static Redirector redirector(LocalConfig config) {
    return Redirector.start(
        RedirectorConfig.builder()
            .miniRedirector(new LocalMiniRedirector(config))
            .scavengerTimeout(Duration.ofSeconds(10))
            .build());
  }

  /** Maps X: to share {@code rw} of the test kit's Samba as alice, on {@code port}. */
  static org.rdbss4j.core.VNetRoot mapAlice(
      Redirector rdr,
      org.rdbss4j.core.RxContext ctx,
      org.rdbss4j.testkit.SambaServer samba,
      int port) {
    char[] pw = samba.password(org.rdbss4j.testkit.SambaServer.ALICE);
    try {
      return rdr.addConnection(
          ctx,
          "\\\\" + org.rdbss4j.testkit.SambaServer.HOST + "\\" + org.rdbss4j.testkit.SambaServer.RW,
          "X:",
          new org.rdbss4j.core.Credentials(org.rdbss4j.testkit.SambaServer.ALICE, "", pw),
          org.rdbss4j.core.ConnectOptions.port(port));
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  /**
   * A temporary directory for a bench's local files (sources, what it reads back), on tmpfs when
   * {@code /dev/shm} is there: every client then moves data between the network and RAM, not the
   * local disk.
   */
  static Path workDir(String prefix) throws IOException {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, prefix)
        : Files.createTempDirectory(prefix);
  }

  static void delete(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A file of {@code size} pseudo-random bytes (seed 42), written in 1 MiB pieces. */
  static void writeRandom(Path p, long size) throws IOException {
    java.util.Random rnd = new java.util.Random(42);
    byte[] buf = new byte[1 << 20];
    try (java.io.OutputStream out = Files.newOutputStream(p)) {
      for (long done = 0; done < size; done += buf.length) {
        rnd.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
  }

  /** Fails unless the two files hold the same bytes. */
  static void verify(Path expected, Path actual) throws IOException {
    check(Files.mismatch(expected, actual) == -1, "content differs: " + actual);
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
