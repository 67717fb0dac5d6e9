package org.rdbss4j.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The persistent connection profile ({@code HKCU\Network} of Windows): the connections made with
 * {@code /persistent:yes}, restored when rdrd starts. One tab-separated line per connection; never
 * a password. Written whole to a temporary file and moved into place, mode 0600.
 */
public final class PersistentConnections {
  /**
   * One remembered connection.
   *
   * @param device {@code X:}, or empty for a deviceless connection
   * @param unc {@code \\server\share}
   * @param user the user name given, or empty
   * @param domain the domain given, or empty
   * @param port the TCP port, 0 for the default
   * @param mountPoint the mount point asked for, or empty for the default
   */
  public record Entry(
      String device, String unc, String user, String domain, int port, String mountPoint) {
    /** The key of the entry: the device, or the UNC name of a deviceless connection. */
    public String key() {
      return (device.isEmpty() ? unc : device).toUpperCase(Locale.ROOT);
    }

    String line() {
      return String.join("\t", device, unc, user, domain, Integer.toString(port), mountPoint);
    }

    static Entry parse(String line) {
      String[] f = line.split("\t", -1);
      if (f.length < 6) {
        throw new IllegalArgumentException("expected 6 fields");
      }
      return new Entry(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5]);
    }
  }

  private final Path file;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private PersistentConnections(Path file) {
    this.file = file;
  }

  /** Reads the profile; a missing file is empty, a bad line is skipped. */
  public static PersistentConnections load(Path file) throws IOException {
    PersistentConnections p = new PersistentConnections(file);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          Entry e = Entry.parse(line);
          p.entries.put(e.key(), e);
        } catch (IllegalArgumentException e) {
          // a hand-edited line that is not ours: skipped, and dropped at the next save
        }
      }
    }
    return p;
  }

  /** The entries, in the order they were made. */
  public synchronized List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** Whether a device or UNC name is remembered. */
  public synchronized boolean contains(String key) {
    return entries.containsKey(key.toUpperCase(Locale.ROOT));
  }

  /** Adds or replaces an entry and saves. */
  public synchronized void put(Entry e) throws IOException {
    entries.put(e.key(), e);
    save();
  }

  /** Removes the entry of a device or UNC name, if any, and saves. */
  public synchronized void remove(String key) throws IOException {
    if (entries.remove(key.toUpperCase(Locale.ROOT)) != null) {
      save();
    }
  }

  private void save() throws IOException {
    StringBuilder b =
        new StringBuilder(
            "# rdrd persistent connections: device, UNC, user, domain, port, mount point\n");
    for (Entry e : entries.values()) {
      b.append(e.line()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, b, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
