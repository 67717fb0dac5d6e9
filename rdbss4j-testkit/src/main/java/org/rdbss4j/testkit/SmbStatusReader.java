package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs {@code smbstatus} for one instance and counts its TCP connections in {@code /proc}. */
final class SmbStatusReader {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The kernel's code for ESTABLISHED in {@code /proc/net/tcp}'s {@code st} column. */
  private static final String ESTABLISHED = "01";

  private static volatile Boolean jsonSupported;

  private SmbStatusReader() {}

  /** Runs {@code smbstatus -s config} (with {@code --json} if supported) and parses the result. */
  static SmbStatus read(Path configFile) {
    if (jsonSupported(Commands.which("smbstatus"))) {
      return SmbStatus.parseJson(report(configFile, "--json"));
    }
    return SmbStatus.parsePlain(report(configFile, "--brief"), report(configFile, "--shares"));
  }

  /**
   * Runs {@code smbstatus --profile}: smbd's request counters (the config turns profiling on at
   * level {@code count}), as {@code name -> value} for each {@code name: value} line, such as
   * {@code smb2_create_count}, {@code smb2_getinfo_count}, {@code smb2_find_count}.
   */
  static java.util.Map<String, Long> profile(Path configFile) {
    String out = report(configFile, "--profile");
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (String line : out.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String value = line.substring(colon + 1).trim();
      if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
        counts.put(line.substring(0, colon).trim(), Long.parseLong(value));
      }
    }
    return counts;
  }

  /** The output of {@code smbstatus} for this instance with the given options. */
  static String report(Path configFile, String... options) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Commands.which("smbstatus"));
    cmd.add("--configfile=" + configFile);
    cmd.addAll(List.of(options));
    return Commands.check(cmd, null, TIMEOUT);
  }

  private static boolean jsonSupported(String smbstatus) {
    Boolean supported = jsonSupported;
    if (supported == null) {
      String help = Commands.run(List.of(smbstatus, "--help"), null, null, TIMEOUT).output();
      supported = help.contains("--json");
      jsonSupported = supported;
    }
    return supported;
  }

  /**
   * Counts sockets in {@code /proc/net/tcp} and {@code /proc/net/tcp6} whose local port is {@code
   * port} and whose state is ESTABLISHED: the server side of each client connection.
   */
  static int establishedConnections(int port) {
    String localPort = String.format(":%04X", port);
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(path)) {
          String[] fields = line.strip().split("\\s+");
          if (fields.length > 3 && fields[1].endsWith(localPort) && fields[3].equals(ESTABLISHED)) {
            count++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return count;
  }
}
