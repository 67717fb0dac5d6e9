package org.rdbss4j.nio;

import java.net.URI;
import java.util.Locale;

/**
 * An {@code rdbss} URI taken apart: {@code rdbss://[[domain;]user@]server[:port]/share[/path]}. The
 * server may be any name a mini-redirector claims, NetBIOS names with underscores included, so the
 * authority is parsed here rather than by {@link URI#getHost()}.
 *
 * @param userInfo {@code user} or {@code domain;user}, or {@code null}
 * @param server the server name
 * @param port the TCP port, 0 for the protocol's default
 * @param share the share name
 * @param path the path below the share, {@code /} separated, without a leading slash; may be empty
 */
record RdbssUri(String userInfo, String server, int port, String share, String path) {

  /** Parses an {@code rdbss} URI. */
  static RdbssUri parse(URI uri) {
    if (!RdbssFileSystemProvider.SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an rdbss URI: " + uri);
    }
    if (uri.isOpaque() || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("expected rdbss://server[:port]/share/path, got " + uri);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("an rdbss URI has no query or fragment: " + uri);
    }
    String authority = uri.getAuthority();
    String userInfo = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
    }
    int port = 0;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && authority.indexOf(']') < colon) {
      String p = authority.substring(colon + 1);
      authority = authority.substring(0, colon);
      if (!p.isEmpty()) {
        try {
          port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad port in " + uri, e);
        }
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port out of range in " + uri);
        }
      }
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("no server in " + uri);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    String share = slash < 0 ? path : path.substring(0, slash);
    String rest = slash < 0 ? "" : path.substring(slash + 1);
    if (share.isEmpty()) {
      throw new IllegalArgumentException("no share in " + uri);
    }
    return new RdbssUri(
        userInfo == null || userInfo.isEmpty() ? null : userInfo, authority, port, share, rest);
  }

  /** The user part of the user info ({@code user} of {@code domain;user}), or {@code null}. */
  String user() {
    if (userInfo == null) {
      return null;
    }
    int semi = userInfo.indexOf(';');
    return semi < 0 ? userInfo : userInfo.substring(semi + 1);
  }

  /** The domain part of the user info, or {@code null}. */
  String domain() {
    if (userInfo == null) {
      return null;
    }
    int semi = userInfo.indexOf(';');
    return semi < 0 ? null : userInfo.substring(0, semi);
  }

  /** {@code \\server\share}. */
  String uncShare() {
    return "\\\\" + server + "\\" + share;
  }

  /** The server and share as compared: upper-cased. */
  String serverKey() {
    return server.toUpperCase(Locale.ROOT);
  }

  String shareKey() {
    return share.toUpperCase(Locale.ROOT);
  }
}
