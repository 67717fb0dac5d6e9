package org.rdbss4j.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * Name resolution below a share, as on a case-insensitive share, and confinement to the share's
 * directory.
 *
 * <p>Each component of a share-relative path (backslash separated, already validated by the core:
 * no {@code .} or {@code ..}, no NUL) is matched against the existing entries of its directory, an
 * exact match first, then case-insensitively; a new name keeps the case given. Every existing part
 * is resolved with {@link Path#toRealPath} and anything whose real path is not below the share's
 * real root is refused with ACCESS_DENIED, so a symbolic link cannot lead out of the share.
 */
final class SharePaths {
  private SharePaths() {}

  /** What a path names. */
  enum State {
    /** An existing file or directory; {@link Resolved#path()} is its real path. */
    EXISTS,
    /** No such entry; {@link Resolved#path()} is where a new entry would be created. */
    MISSING,
    /** A symbolic link whose target does not exist; {@link Resolved#path()} is the link. */
    DANGLING_LINK
  }

  /**
   * A resolved share-relative path.
   *
   * @param state what the path names
   * @param path the real path (EXISTS), the path to create (MISSING) or the link (DANGLING_LINK)
   * @param entry the directory entry the last component names, in its parent's real directory: a
   *     symbolic link itself rather than its target
   */
  record Resolved(State state, Path path, Path entry) {}

  /**
   * Resolves a share-relative path.
   *
   * @throws RxException OBJECT_PATH_NOT_FOUND when a directory on the way is missing or is a file,
   *     ACCESS_DENIED when a part leads out of the share
   */
  static Resolved resolve(ShareRoot share, String relative) throws IOException {
    Path root = share.realRoot();
    if (relative.isEmpty()) {
      return new Resolved(State.EXISTS, root, root);
    }
    String[] parts = relative.split("\\\\");
    Path dir = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Path e = findEntry(dir, parts[i]);
      if (e == null) {
        throw new RxException(NtStatus.OBJECT_PATH_NOT_FOUND, "no such directory: " + relative);
      }
      Path real;
      try {
        real = confine(share, e);
      } catch (NoSuchFileException dangling) {
        throw new RxException(NtStatus.OBJECT_PATH_NOT_FOUND, "no such directory: " + relative);
      }
      if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new RxException(NtStatus.OBJECT_PATH_NOT_FOUND, "not a directory: " + relative);
      }
      dir = real;
    }
    String last = parts[parts.length - 1];
    Path e = findEntry(dir, last);
    if (e == null) {
      Path created = dir.resolve(last);
      return new Resolved(State.MISSING, created, created);
    }
    if (!Files.isSymbolicLink(e)) {
      return new Resolved(State.EXISTS, e, e);
    }
    try {
      return new Resolved(State.EXISTS, confine(share, e), e);
    } catch (NoSuchFileException dangling) {
      return new Resolved(State.DANGLING_LINK, e, e);
    }
  }

  /**
   * The real path of an existing path, refused with ACCESS_DENIED when it is not below the share's
   * real root.
   */
  static Path confine(ShareRoot share, Path p) throws IOException {
    Path real = p.toRealPath();
    if (!real.startsWith(share.realRoot())) {
      throw new RxException(
          NtStatus.ACCESS_DENIED, "refusing a path that leads out of the share: " + p);
    }
    return real;
  }

  /**
   * The entry of {@code dir} named {@code name}: the exact name when it exists, else the first
   * entry equal ignoring case, else {@code null}. Symbolic links are not followed.
   */
  static Path findEntry(Path dir, String name) throws IOException {
    Path exact = dir.resolve(name);
    if (Files.exists(exact, LinkOption.NOFOLLOW_LINKS)) {
      return exact;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Path fn = p.getFileName();
        if (fn != null && fn.toString().equalsIgnoreCase(name)) {
          return p;
        }
      }
    }
    return null;
  }
}
