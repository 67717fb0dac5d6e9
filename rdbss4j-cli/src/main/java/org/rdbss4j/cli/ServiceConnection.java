package org.rdbss4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rdbss4j.core.provider.Win32Error;
import org.rdbss4j.service.RdrHome;
import org.rdbss4j.service.protocol.ControlClient;

/**
 * Reaches rdrd's control socket in {@code RDR_HOME}, starting rdrd on demand when no service
 * answers: {@code java ... org.rdbss4j.service.Rdrd} with this JVM's class path, detached with
 * {@code setsid}, its output in {@code logs/rdrd.out}, without {@code RDR_PASSWORD} in its
 * environment.
 */
final class ServiceConnection {
  private static final long START_TIMEOUT_MS = 30_000;

  private ServiceConnection() {}

  /** Connects; starts rdrd first when {@code start} and the socket is absent or stale. */
  static ControlClient connect(RdrHome home, boolean start) throws CliException {
    try {
      return ControlClient.connect(home.socket());
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Permission denied") || m.contains("Access denied")) {
        throw new CliException(Win32Error.ACCESS_DENIED, m);
      }
      if (!start) {
        throw new CliException(2184, "The rdrd service is not started.", m);
      }
    }
    return startAndConnect(home);
  }

  /** Whether a service answers on the socket. */
  static boolean running(RdrHome home) {
    try (ControlClient c = ControlClient.connect(home.socket())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static ControlClient startAndConnect(RdrHome home) throws CliException {
    Process p;
    try {
      home.create();
      p = spawn(home);
    } catch (IOException e) {
      throw new CliException(Win32Error.GEN_FAILURE, "cannot start rdrd: " + e.getMessage());
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      try {
        return ControlClient.connect(home.socket());
      } catch (IOException e) {
        if (!p.isAlive() && !Files.exists(home.socket())) {
          break;
        }
        sleep();
      }
    }
    throw new CliException(
        Win32Error.GEN_FAILURE, "rdrd did not start; see " + home.log() + " and rdrd.out");
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process spawn(RdrHome home) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.addAll(
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "org.rdbss4j.service.Rdrd"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("RDR_PASSWORD");
    pb.environment().put(RdrHome.ENV, home.dir().toString());
    File out = home.logs().resolve("rdrd.out").toFile();
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(out));
    return pb.start();
  }
}
