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

/** Temporary share directories and a redirector over the local mini-redirector, for benchmarks. */
final class BenchShares {
  private BenchShares() {}

  static Redirector redirector(LocalConfig config) {
    return Redirector.start(
        RedirectorConfig.builder()
            .miniRedirector(new LocalMiniRedirector(config))
            .scavengerTimeout(Duration.ofSeconds(10))
            .build());
  }

  static void delete(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
