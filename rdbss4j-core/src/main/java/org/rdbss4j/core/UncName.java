package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and validated UNC name, {@code \\server\share\path}. Forward slashes are accepted as
 * separators. Rejected with a clear status, changing nothing: empty or missing server or share,
 * {@code .} and {@code ..} components, NULs and control characters, characters Windows forbids in
 * names ({@code <>:"|?*}), components longer than 255 characters and names longer than 32,767.
 *
 * @param server the server name as given
 * @param share the share name
 * @param path the path below the share, backslash separated, empty for the share's root
 */
public record UncName(String server, String share, String path) {
  /** The longest name Windows accepts (UNICODE_STRING in characters). */
  public static final int MAX_NAME = 32_767;

  /** The longest component. */
  public static final int MAX_COMPONENT = 255;

  /** Parses {@code \\server\share[\path]}. */
  public static UncName parse(String name) {
    if (name == null) {
      throw new RxException(NtStatus.OBJECT_NAME_INVALID, "no name given");
    }
    if (name.length() > MAX_NAME) {
      throw new RxException(NtStatus.NAME_TOO_LONG, "name longer than " + MAX_NAME);
    }
    String n = name.replace('/', '\\');
    if (!n.startsWith("\\\\")) {
      throw new RxException(
          NtStatus.OBJECT_PATH_SYNTAX_BAD,
          "not a UNC name (\\\\server\\share): " + printable(name));
    }
    String body = n.substring(2);
    while (body.endsWith("\\") && body.length() > 0) {
      body = body.substring(0, body.length() - 1);
    }
    String[] parts = body.split("\\\\", -1);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new RxException(
          NtStatus.BAD_NETWORK_NAME, "a UNC name needs a server and a share: " + printable(name));
    }
    checkServer(parts[0]);
    checkComponent(parts[1], name);
    List<String> rest = new ArrayList<>();
    for (int i = 2; i < parts.length; i++) {
      checkComponent(parts[i], name);
      rest.add(parts[i]);
    }
    return new UncName(parts[0], parts[1], String.join("\\", rest));
  }

  /**
   * Validates a path below a share ({@code dir\file}, slashes accepted, leading separator optional)
   * and returns it in canonical form: backslash separated, no leading separator.
   */
  public static String relativePath(String path) {
    if (path == null) {
      throw new RxException(NtStatus.OBJECT_NAME_INVALID, "no path given");
    }
    if (path.length() > MAX_NAME) {
      throw new RxException(NtStatus.NAME_TOO_LONG, "path longer than " + MAX_NAME);
    }
    String p = path.replace('/', '\\');
    while (p.startsWith("\\")) {
      p = p.substring(1);
    }
    while (p.endsWith("\\")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "";
    }
    for (String c : p.split("\\\\", -1)) {
      checkComponent(c, path);
    }
    return p;
  }

  private static void checkServer(String server) {
    if (server.length() > MAX_COMPONENT) {
      throw new RxException(NtStatus.NAME_TOO_LONG, "server name too long");
    }
    for (int i = 0; i < server.length(); i++) {
      char c = server.charAt(i);
      if (c < 0x20 || "<>\"|?*\\/ ".indexOf(c) >= 0) {
        throw new RxException(
            NtStatus.BAD_NETWORK_NAME, "invalid character in server name: " + printable(server));
      }
    }
  }

  private static void checkComponent(String c, String whole) {
    if (c.isEmpty()) {
      throw new RxException(NtStatus.OBJECT_NAME_INVALID, "empty component in " + printable(whole));
    }
    if (c.equals(".") || c.equals("..")) {
      throw new RxException(
          NtStatus.OBJECT_NAME_INVALID, "'.' and '..' are not allowed: " + printable(whole));
    }
    if (c.length() > MAX_COMPONENT) {
      throw new RxException(
          NtStatus.NAME_TOO_LONG, "component longer than " + MAX_COMPONENT + " characters");
    }
    for (int i = 0; i < c.length(); i++) {
      char ch = c.charAt(i);
      if (ch < 0x20 || "<>:\"|?*".indexOf(ch) >= 0) {
        throw new RxException(
            NtStatus.OBJECT_NAME_INVALID,
            String.format("invalid character U+%04X in %s", (int) ch, printable(whole)));
      }
    }
  }

  /** The name with control characters escaped, safe to print. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    int limit = Math.min(s.length(), 200);
    for (int i = 0; i < limit; i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    if (s.length() > limit) {
      b.append("...");
    }
    return b.toString();
  }

  /** {@code \\server\share}. */
  public String shareUnc() {
    return "\\\\" + server + "\\" + share;
  }

  @Override
  public String toString() {
    return shareUnc() + (path.isEmpty() ? "" : "\\" + path);
  }
}
