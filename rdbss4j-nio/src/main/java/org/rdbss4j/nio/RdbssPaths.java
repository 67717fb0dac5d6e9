package org.rdbss4j.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * UNC strings for the {@code rdbss} provider. {@link Path#of(String, String...)} parses only the
 * default file system's syntax, so {@code \\server\share\path} needs these helpers: {@link
 * #toUri(String)} turns it into {@code rdbss://server/share/path}, and {@link #of(String,
 * String...)} into the path of the open file system for that share.
 *
 * <pre>{@code
 * try (FileSystem fs = RdbssPaths.newFileSystem("\\\\server\\share", Map.of())) {
 *   Path p = RdbssPaths.of("\\\\server\\share\\docs", "readme.txt");   // \docs\readme.txt
 * }
 * }</pre>
 *
 * <p>A UNC string names the protocol's default port; use a URI for another.
 */
public final class RdbssPaths {
  private RdbssPaths() {}

  /**
   * The {@code rdbss} URI of {@code \\server\share[\path]} (forward slashes accepted), with {@code
   * user} as its user info when not {@code null}.
   */
  public static URI toUri(String unc, String user) {
    String s = unc.replace('/', '\\');
    if (!s.startsWith("\\\\")) {
      throw new InvalidPathException(unc, "not a UNC name (\\\\server\\share)");
    }
    String[] parts = s.substring(2).split("\\\\+");
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new InvalidPathException(unc, "a UNC name needs a server and a share");
    }
    StringBuilder path = new StringBuilder();
    for (int i = 1; i < parts.length; i++) {
      path.append('/').append(parts[i]);
    }
    String authority = (user == null ? "" : user + "@") + parts[0];
    try {
      return new URI(RdbssFileSystemProvider.SCHEME, authority, path.toString(), null, null);
    } catch (URISyntaxException e) {
      throw new InvalidPathException(unc, e.getReason());
    }
  }

  /** The {@code rdbss} URI of {@code \\server\share[\path]}. */
  public static URI toUri(String unc) {
    return toUri(unc, null);
  }

  /**
   * The path {@code \\server\share\path} names, joined with {@code more}, in the open file system
   * of that share (the one opened without a user name).
   *
   * @throws java.nio.file.FileSystemNotFoundException when that share has no open file system
   */
  public static RdbssPath of(String unc, String... more) {
    RdbssPath p = (RdbssPath) Path.of(toUri(unc));
    return more.length == 0 ? p : p.resolve(p.getFileSystem().getPath("", more));
  }

  /**
   * A new file system for the share {@code \\server\share}, as {@link FileSystems#newFileSystem}.
   */
  public static RdbssFileSystem newFileSystem(String uncShare, Map<String, ?> env)
      throws IOException {
    return (RdbssFileSystem) FileSystems.newFileSystem(toUri(uncShare), env);
  }
}
