package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the Samba command-line tools: locates binaries and runs them with a timeout. */
final class Commands {
  private static final List<String> EXTRA_DIRS =
      List.of("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin");

  private Commands() {}

  /**
   * The absolute path of a program, searched on {@code PATH} and in the sbin directories where
   * Debian installs {@code smbd}.
   */
  static String which(String program) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        program
            + " not found on PATH or in /usr/sbin; install Samba with scripts/install-deps.sh"
            + " (Debian/Ubuntu packages: samba smbclient)");
  }

  /**
   * Runs a command to completion, feeding {@code stdin} (may be null) and returning its merged
   * stdout and stderr. A command that outlives {@code timeout} is killed and reported with exit
   * code -1.
   */
  static CommandResult run(List<String> command, Path workDir, byte[] stdin, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    builder.environment().put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.getFirst(), e);
    }
    CompletableFuture<byte[]> output = readAsync(process.getInputStream());
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The command exited without reading its input; its output says why.
    }
    boolean exited = false;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      String text = new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      if (!exited) {
        return new CommandResult(-1, text + "\n[killed after " + timeout.toMillis() + " ms]");
      }
      return new CommandResult(process.exitValue(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
    } catch (ExecutionException | TimeoutException e) {
      return new CommandResult(exited ? process.exitValue() : -1, "[no output: " + e + "]");
    }
  }

  /** Like {@link #run} but throws when the command does not exit with status 0. */
  static String check(List<String> command, byte[] stdin, Duration timeout) {
    CommandResult result = run(command, null, stdin, timeout);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + result.exitCode() + "):\n" + result.output());
    }
    return result.output();
  }

  /** Reads a stream to its end on a virtual thread. */
  static CompletableFuture<byte[]> readAsync(InputStream stream) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (stream) {
                future.complete(stream.readAllBytes());
              } catch (IOException e) {
                future.complete(new byte[0]);
              }
            });
    return future;
  }
}
