package org.rdbss4j.nio;

import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of paths on a share (jimfs's {@code PathType} for one Windows-like type): backslash
 * separated, forward slashes accepted on input, a single root {@code \} that is the share's root,
 * and names free of the characters Windows forbids ({@code <>:"|?*} and control characters) and at
 * most 255 characters long. A UNC string {@code \\server\share\path} naming this file system's own
 * share parses to the absolute path {@code \path}; any other UNC string or a drive letter is
 * refused.
 */
final class PathSyntax {
  /** The separator paths are displayed with. */
  static final String SEPARATOR = "\\";

  /** The longest name a share accepts. */
  static final int MAX_NAME = 255;

  private final String server;
  private final String share;

  /**
   * @param server the server this syntax's UNC strings must name
   * @param share the share they must name
   */
  PathSyntax(String server, String share) {
    this.server = server;
    this.share = share;
  }

  /**
   * A parsed path.
   *
   * @param absolute whether it starts at the share's root
   * @param names its names, empty strings removed; no names at all for the root or the empty path
   */
  record Parsed(boolean absolute, List<String> names) {}

  /** Parses a path string, as {@code FileSystem.getPath} joins it. */
  Parsed parse(String input) {
    String s = input.replace('/', '\\');
    boolean absolute = false;
    int start = 0;
    if (s.startsWith("\\\\")) {
      start = skipUncPrefix(input, s);
      absolute = true;
    } else if (s.startsWith("\\")) {
      absolute = true;
      start = 1;
    }
    List<String> names = new ArrayList<>();
    int i = start;
    while (i <= s.length()) {
      int next = s.indexOf('\\', i);
      int end = next < 0 ? s.length() : next;
      if (end > i) {
        names.add(check(input, s.substring(i, end), i));
      }
      i = end + 1;
    }
    return new Parsed(absolute, names);
  }

  /** The index after {@code \\server\share}, which must be this file system's. */
  private int skipUncPrefix(String input, String s) {
    int serverEnd = s.indexOf('\\', 2);
    if (serverEnd < 0) {
      throw new InvalidPathException(input, "a UNC path needs a server and a share");
    }
    int shareEnd = s.indexOf('\\', serverEnd + 1);
    if (shareEnd < 0) {
      shareEnd = s.length();
    }
    String srv = s.substring(2, serverEnd);
    String shr = s.substring(serverEnd + 1, shareEnd);
    if (!srv.equalsIgnoreCase(server) || !shr.equalsIgnoreCase(share)) {
      throw new InvalidPathException(
          input, "a UNC path of another share than \\\\" + server + "\\" + share);
    }
    return shareEnd;
  }

  private static String check(String input, String name, int at) {
    if (name.length() > MAX_NAME) {
      throw new InvalidPathException(input, "name longer than " + MAX_NAME + " characters", at);
    }
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < 0x20 || "<>:\"|?*".indexOf(c) >= 0) {
        throw new InvalidPathException(
            input, String.format("illegal character U+%04X in a name", (int) c), at + k);
      }
    }
    return name;
  }

  /** The string of a path: {@code \a\b} for an absolute one, {@code a\b} for a relative one. */
  static String render(boolean absolute, List<Name> names) {
    StringBuilder b = new StringBuilder();
    if (absolute) {
      b.append(SEPARATOR);
    }
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        b.append(SEPARATOR);
      }
      b.append(names.get(i).display());
    }
    return b.toString();
  }
}
