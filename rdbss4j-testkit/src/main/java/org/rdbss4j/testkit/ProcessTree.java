package org.rdbss4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The processes that make up one private Samba instance, and the signals the testkit sends them.
 *
 * <p>That is the smbd we started, its descendants, and the RPC helpers smbd starts on demand
 * ({@code samba-dcerpcd} and its {@code rpcd_*} workers). The helpers daemonize, so they are not
 * descendants of smbd; they are recognised as server programs that carry the {@code
 * --configfile=<our private smb.conf>} argument smbd gives them. That file lives in the instance's
 * own temporary directory, so no process that this instance did not start carries it. Client tools
 * run with the same argument (smbclient, smbstatus) are not part of the server.
 */
final class ProcessTree {
  private final String configFile;

  ProcessTree(String configFile) {
    this.configFile = configFile;
  }

  /**
   * The live processes of the instance: {@code main} (if given) and its descendants first, then
   * processes started for our config file and their descendants.
   */
  List<ProcessHandle> snapshot(ProcessHandle main) {
    Map<Long, ProcessHandle> found = new LinkedHashMap<>();
    if (main != null && main.isAlive()) {
      found.put(main.pid(), main);
      main.descendants().forEach(p -> found.put(p.pid(), p));
    }
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(this::usesOurConfig)
          .forEach(
              p -> {
                found.putIfAbsent(p.pid(), p);
                p.descendants().forEach(d -> found.putIfAbsent(d.pid(), d));
              });
    }
    found.remove(ProcessHandle.current().pid());
    return new ArrayList<>(found.values());
  }

  private boolean usesOurConfig(ProcessHandle process) {
    String[] args = process.info().arguments().orElse(null);
    if (args == null || !isServerProgram(process.info().command().orElse(""))) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--configfile=" + configFile)) {
        return true;
      }
      boolean flag = arg.equals("-s") || arg.equals("--configfile");
      if (flag && i + 1 < args.length && args[i + 1].equals(configFile)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isServerProgram(String command) {
    String name =
        Path.of(command).getFileName() == null ? "" : Path.of(command).getFileName().toString();
    return name.equals("smbd") || name.equals("samba-dcerpcd") || name.startsWith("rpcd_");
  }

  /**
   * Sends {@code SIGSTOP} or {@code SIGCONT} (by name: "STOP", "CONT") with {@code kill(1)} and
   * waits up to 5 s until the kernel reports every process stopped, or none stopped, accordingly.
   */
  static void signal(String signal, List<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of(Commands.which("kill"), "-" + signal));
    processes.stream().filter(ProcessHandle::isAlive).forEach(p -> command.add("" + p.pid()));
    if (command.size() == 2) {
      return;
    }
    // kill(1) fails if one of the processes exited meanwhile; the others are still signalled.
    Commands.run(command, null, null, Duration.ofSeconds(10));
    boolean stop = signal.equals("STOP");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (processes.stream().anyMatch(p -> p.isAlive() && isStopped(p.pid()) != stop)
        && System.nanoTime() < deadline) {
      pause();
    }
  }

  /** Whether {@code /proc/PID/stat} shows the process stopped by a signal (state T). */
  static boolean isStopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Sends SIGKILL to every process and waits for them to go. */
  static void killAll(List<ProcessHandle> processes, Duration timeout) {
    processes.forEach(ProcessHandle::destroyForcibly);
    awaitExit(processes, timeout);
  }

  /** Waits until none of the processes is alive; returns whether they all exited in time. */
  static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause();
    }
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
