package org.rdbss4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code bin/rdr} against a temporary {@code RDR_HOME}, and cleans up: stops the rdrd
 * it started (by pid), clears mounts left under the home and removes it.
 */
final class RdrHarness implements AutoCloseable {
  /** The outcome of one command. */
  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  final Path root;
  final Path home;
  final Path share;

  RdrHarness() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    root = Files.exists(dir.resolve("bin/rdr")) ? dir : dir.getParent();
    home = Files.createTempDirectory("rdr-e2e-");
    share = home.resolve("shares").resolve("share");
  }

  Path rdr() {
    return root.resolve("bin/rdr");
  }

  ProcessBuilder builder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("RDR_HOME", home.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("RDR_PASSWORD");
    return pb;
  }

  Result run(String... args) throws Exception {
    return runWith(null, List.of(), args);
  }

  /** Runs {@code bin/rdr} with extra environment ({@code K=V}) and standard input. */
  Result runWith(String stdin, List<String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(rdr().toString());
    cmd.addAll(List.of(args));
    return exec(cmd, stdin, env);
  }

  Result exec(List<String> cmd, String stdin, List<String> env) throws Exception {
    ProcessBuilder pb = builder(cmd);
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Path out = Files.createTempFile("rdr-out", ".txt");
    Path err = Files.createTempFile("rdr-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** The pid of the running rdrd, or -1. */
  long pid() throws IOException {
    Path f = home.resolve("rdrd.pid");
    return Files.exists(f) ? Long.parseLong(Files.readString(f).trim()) : -1;
  }

  String log() throws IOException {
    Path log = home.resolve("logs/rdrd.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  static boolean mounted(Path dir) throws IOException {
    String info = Files.readString(Path.of("/proc/self/mountinfo"));
    return info.contains(" " + dir.toAbsolutePath() + " ");
  }

  static void waitFor(String what, java.util.function.BooleanSupplier cond) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws Exception {
    long pid = pid();
    if (pid > 0 && ProcessHandle.of(pid).isPresent()) {
      run("service", "stop");
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                h.destroy();
                h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> h).join();
              });
    }
    Path mnt = home.resolve("mnt");
    if (Files.isDirectory(mnt)) {
      try (Stream<Path> s = Files.list(mnt)) {
        for (Path p : s.toList()) {
          if (mounted(p)) {
            new ProcessBuilder("fusermount3", "-u", "-z", p.toString()).start().waitFor();
          }
        }
      }
    }
    try (Stream<Path> s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
