package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

/**
 * A redirector with a local mini-redirector serving, as {@code \\local\...}, the temporary
 * directories {@code share} and {@code other} (writable), {@code ro} (read-only) and {@code
 * private} (alice only). File systems opened with {@link #open} are closed after each test, which
 * ends with a leak check: after a drain no node is live and the prefix table is empty.
 */
abstract class NioTestBase {
  @TempDir Path tmp;
  Path shareDir;
  Path otherDir;
  Path roDir;
  Path privateDir;
  LocalMiniRedirector local;

  /** The local mini-redirector as the redirector sees it, observed and bendable by tests. */
  ObservedMiniRedirector observed;

  Redirector rdr;
  private final List<FileSystem> opened = new ArrayList<>();

  @BeforeEach
  void startRedirector() throws IOException {
    shareDir = Files.createDirectory(tmp.resolve("share"));
    otherDir = Files.createDirectory(tmp.resolve("other"));
    roDir = Files.createDirectory(tmp.resolve("ro"));
    privateDir = Files.createDirectory(tmp.resolve("private"));
    local =
        new LocalMiniRedirector(
            LocalConfig.builder()
                .share("share", shareDir)
                .share("other", otherDir)
                .readOnlyShare("ro", roDir)
                .share("private", privateDir)
                .allowedUsers("private", "alice")
                .build());
    observed = new ObservedMiniRedirector(local);
    rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(observed)
                .scavengerTimeout(Duration.ofMillis(200))
                .build());
  }

  @AfterEach
  void closeEverythingAndCheckForLeaks() throws IOException {
    closeAndCheckForLeaks(opened, rdr);
  }

  /**
   * Closes the file systems, drains the redirector and checks that nothing is left (no node, no
   * prefix table entry), then closes the redirector.
   */
  static void closeAndCheckForLeaks(List<FileSystem> opened, Redirector rdr) throws IOException {
    try {
      for (FileSystem fs : opened) {
        fs.close();
      }
      rdr.drain();
      assertThat(rdr.liveNodes()).as("live nodes after the drain").isEmpty();
      assertThat(rdr.prefixTable().size()).as("prefix table entries").isZero();
    } finally {
      rdr.close();
    }
  }

  /** The env for a user on this test's redirector. */
  Map<String, Object> env(String user) {
    Map<String, Object> env = new HashMap<>();
    env.put(RdbssEnv.REDIRECTOR.name(), rdr);
    if (user != null) {
      env.put(RdbssEnv.USER.name(), user);
    }
    return env;
  }

  /** A file system for {@code \\local\share} as {@code user} (the process user for null). */
  RdbssFileSystem open(String share, String user) throws IOException {
    return open(URI.create("rdbss://local/" + share), env(user));
  }

  /** Waits until a request of this kind is outstanding on the file system's connection. */
  static void awaitOutstanding(RdbssFileSystem fs, RxContext.MajorFunction kind)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fs.vNetRoot().outstandingRequests().stream().noneMatch(c -> c.majorFunction() == kind)) {
      assertThat(System.nanoTime()).as("no " + kind + " request waited").isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  /** How a future failed. */
  static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  RdbssFileSystem open(URI uri, Map<String, ?> env) throws IOException {
    RdbssFileSystem fs = (RdbssFileSystem) FileSystems.newFileSystem(uri, env);
    opened.add(fs);
    return fs;
  }
}
