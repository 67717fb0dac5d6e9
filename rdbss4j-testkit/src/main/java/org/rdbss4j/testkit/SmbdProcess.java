package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The smbd daemon of one instance: starting it in the foreground, waiting until it serves, and
 * stopping, freezing or killing it together with the processes it started.
 *
 * <p>smbd's standard input stays an open pipe to the JVM. smbd running in the foreground exits when
 * that pipe reaches end of file, so even a JVM killed with SIGKILL does not leave it behind.
 *
 * <p>smbd is deliberately started without {@code --no-process-group}: on SIGTERM the smbd parent
 * signals its whole process group, which with that flag is the JVM's own group (Maven, Surefire,
 * the shell). Without it, smbd calls {@code setsid()} and signals only its own children.
 */
final class SmbdProcess {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final System.Logger LOG = System.getLogger(SmbdProcess.class.getName());

  private final SambaConfig config;
  private final ProcessTree tree;
  private final int port;
  private final Path stdoutLog;
  private volatile Process process;
  private volatile boolean stopped;

  SmbdProcess(SambaConfig config, int port) {
    this.config = config;
    this.tree = new ProcessTree(config.configFile.toString());
    this.port = port;
    this.stdoutLog = config.logDir.resolve("smbd.stdout");
  }

  /** Starts {@code smbd --foreground} on the instance's config; the log is appended to. */
  synchronized void launch() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("smbd is already running as pid " + process.pid());
    }
    List<String> command =
        List.of(
            Commands.which("smbd"),
            "--foreground",
            "--debug-stdout",
            "--log-basename=" + config.logDir,
            "--configfile=" + config.configFile);
    process =
        new ProcessBuilder(command)
            .directory(config.root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutLog.toFile()))
            .start();
    stopped = false;
    LOG.log(System.Logger.Level.DEBUG, "started smbd pid {0} on port {1}", process.pid(), port);
  }

  /**
   * Polls until 127.0.0.1:port accepts TCP and then until {@code probe} (an smbclient run)
   * succeeds.
   *
   * @throws IllegalStateException if smbd exits or {@code timeout} passes first; the message has
   *     the last probe's output and the tail of smbd's log
   */
  void awaitReady(Duration timeout, Supplier<CommandResult> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CommandResult last = null;
    while (true) {
      Process current = process;
      if (current == null || !current.isAlive()) {
        String status = current == null ? "not started" : "exited with " + current.exitValue();
        throw failure("smbd " + status + " before it answered", last);
      }
      if (acceptsTcp()) {
        last = probe.get();
        if (last.succeeded()) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw failure("smbd did not answer on 127.0.0.1:" + port + " within " + timeout, last);
      }
      sleep(100);
    }
  }

  private IllegalStateException failure(String what, CommandResult lastProbe) {
    String probe = lastProbe == null ? "(TCP port never accepted)" : lastProbe.toString();
    return new IllegalStateException(
        what
            + "\nlast smbclient probe: "
            + probe
            + "\nsmbd log ("
            + stdoutLog
            + "), last lines:\n"
            + logTail(40));
  }

  private boolean acceptsTcp() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(SambaConfig.HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Shuts smbd down: SIGCONT if frozen, SIGTERM to smbd and everything it started, then SIGKILL
   * whatever is left after 5 s.
   */
  synchronized void terminate() {
    Process current = process;
    if (current == null) {
      return;
    }
    List<ProcessHandle> processes = tree.snapshot(current.toHandle());
    if (stopped) {
      ProcessTree.signal("CONT", processes);
      stopped = false;
    }
    processes.forEach(ProcessHandle::destroy);
    if (!ProcessTree.awaitExit(processes, STOP_TIMEOUT)) {
      ProcessTree.killAll(processes, STOP_TIMEOUT);
    }
    killLeftovers();
    reap(current);
  }

  /** SIGKILLs smbd, its children and its RPC helpers at once, as a crash would. */
  synchronized void kill() {
    Process current = process;
    if (current == null) {
      return;
    }
    ProcessTree.killAll(tree.snapshot(current.toHandle()), STOP_TIMEOUT);
    killLeftovers();
    stopped = false;
    reap(current);
  }

  /** Best effort from a shutdown hook: SIGKILL everything without taking the lock. */
  void killNow() {
    Process current = process;
    ProcessTree.killAll(tree.snapshot(current == null ? null : current.toHandle()), STOP_TIMEOUT);
  }

  /** SIGSTOPs smbd and all its processes: connections stay open but nothing answers. */
  synchronized void stop() {
    ProcessTree.signal("STOP", tree.snapshot(requireRunning().toHandle()));
    stopped = true;
  }

  /** SIGCONTs what {@link #stop()} froze. */
  synchronized void resume() {
    ProcessTree.signal("CONT", tree.snapshot(requireRunning().toHandle()));
    stopped = false;
  }

  private void killLeftovers() {
    ProcessTree.killAll(tree.snapshot(null), STOP_TIMEOUT);
  }

  private void reap(Process current) {
    try {
      current.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private Process requireRunning() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException("smbd is not running");
    }
    return current;
  }

  boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  boolean isStopped() {
    return stopped && isRunning();
  }

  long pid() {
    return requireRunning().pid();
  }

  /** The last {@code lines} lines smbd printed (its debug output goes to stdout). */
  String logTail(int lines) {
    try {
      if (!Files.exists(stdoutLog)) {
        return "(no log yet)";
      }
      List<String> all =
          new String(Files.readAllBytes(stdoutLog), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
