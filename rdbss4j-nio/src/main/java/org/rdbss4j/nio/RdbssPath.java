package org.rdbss4j.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path on a share: Windows-like ({@code \dir\file.txt}, see {@link PathSyntax}), rooted at the
 * share's root, and compared as the share compares names — case-insensitively on a case-insensitive
 * share, so {@code \Dir\A.txt} equals {@code \DIR\a.TXT} and both have one hash code. Purely
 * syntactic operations never touch the server; {@link #toRealPath} does, and returns each name in
 * the case the server stores it.
 *
 * <p>Immutable and safe for use by any thread. The UNC form of an absolute path is {@link
 * #toUncString()}; {@link #toUri()} gives the {@code rdbss:} URI that {@link Path#of(URI)} takes.
 */
public final class RdbssPath implements Path {
  private final RdbssFileSystem fs;
  private final boolean absolute;
  private final List<Name> names;
  private String string;

  RdbssPath(RdbssFileSystem fs, boolean absolute, List<Name> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  /** The empty path (one empty name), as {@code Path.of("")}. */
  static RdbssPath empty(RdbssFileSystem fs) {
    return new RdbssPath(fs, false, List.of(Name.EMPTY));
  }

  /** The share's root, {@code \}. */
  static RdbssPath root(RdbssFileSystem fs) {
    return new RdbssPath(fs, true, List.of());
  }

  List<Name> names() {
    return names;
  }

  boolean isEmpty() {
    return !absolute && names.size() == 1 && names.getFirst() == Name.EMPTY;
  }

  @Override
  public RdbssFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public RdbssPath getRoot() {
    return absolute ? root(fs) : null;
  }

  @Override
  public RdbssPath getFileName() {
    if (names.isEmpty()) {
      return null;
    }
    if (names.size() == 1 && !absolute) {
      return this;
    }
    return new RdbssPath(fs, false, List.of(names.getLast()));
  }

  @Override
  public RdbssPath getParent() {
    if (names.isEmpty() || (names.size() == 1 && !absolute)) {
      return null;
    }
    return new RdbssPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public RdbssPath getName(int index) {
    if (index < 0 || index >= names.size()) {
      throw new IllegalArgumentException("no name " + index + " in " + this);
    }
    return new RdbssPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public RdbssPath subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
      throw new IllegalArgumentException(
          "no subpath [" + beginIndex + ", " + endIndex + ") of " + this);
    }
    return new RdbssPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof RdbssPath o) || o.fs != fs || o.absolute != absolute) {
      return false;
    }
    if (o.isEmpty()) {
      return isEmpty();
    }
    return o.names.size() <= names.size() && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof RdbssPath o) || o.fs != fs) {
      return false;
    }
    if (o.absolute) {
      return equals(o);
    }
    if (o.isEmpty()) {
      return isEmpty();
    }
    int n = names.size();
    return o.names.size() <= n && names.subList(n - o.names.size(), n).equals(o.names);
  }

  @Override
  public RdbssPath normalize() {
    List<Name> out = new ArrayList<>();
    for (Name n : names) {
      if (n.isSelf() || n == Name.EMPTY) {
        continue;
      }
      if (n.isParent()) {
        if (!out.isEmpty() && !out.getLast().isParent()) {
          out.removeLast();
          continue;
        }
        if (absolute) {
          continue;
        }
      }
      out.add(n);
    }
    if (out.isEmpty() && !absolute) {
      return empty(fs);
    }
    return new RdbssPath(fs, absolute, out);
  }

  @Override
  public RdbssPath resolve(Path other) {
    RdbssPath o = check(other);
    if (o.absolute) {
      return o;
    }
    if (o.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return o;
    }
    List<Name> joined = new ArrayList<>(names);
    joined.addAll(o.names);
    return new RdbssPath(fs, absolute, joined);
  }

  @Override
  public RdbssPath relativize(Path other) {
    RdbssPath o = check(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize " + o + " against " + this);
    }
    if (isEmpty()) {
      return o;
    }
    List<Name> from = names;
    List<Name> to = o.isEmpty() ? List.of() : o.names;
    int common = 0;
    while (common < from.size() && common < to.size() && from.get(common).equals(to.get(common))) {
      common++;
    }
    List<Name> out = new ArrayList<>();
    for (int i = common; i < from.size(); i++) {
      out.add(Name.PARENT);
    }
    out.addAll(to.subList(common, to.size()));
    return out.isEmpty() ? empty(fs) : new RdbssPath(fs, false, out);
  }

  @Override
  public URI toUri() {
    return fs.uriOf(toAbsolutePath().normalize());
  }

  /** The UNC name of this path, {@code \\server\share\dir\file}, made absolute and normalized. */
  public String toUncString() {
    RdbssPath p = toAbsolutePath().normalize();
    String rest = p.names.isEmpty() ? "" : PathSyntax.SEPARATOR + p.sharePath();
    return fs.uncShare() + rest;
  }

  @Override
  public RdbssPath toAbsolutePath() {
    return absolute ? this : root(fs).resolve(this);
  }

  /**
   * The absolute, normalized path with every name in the case the server stores it; fails with
   * {@link java.nio.file.NoSuchFileException} when the file does not exist. A share has no links,
   * so the options change nothing.
   */
  @Override
  public RdbssPath toRealPath(LinkOption... options) throws IOException {
    return fs.session().realPath(toAbsolutePath().normalize());
  }

  /**
   * The share-relative name the core takes, {@code dir\file} (empty for the root); the path is made
   * absolute and normalized first, so {@code .} and {@code ..} never reach the server.
   */
  String sharePath() {
    RdbssPath p = absolute && isNormal() ? this : toAbsolutePath().normalize();
    StringBuilder b = new StringBuilder();
    for (Name n : p.names) {
      if (!b.isEmpty()) {
        b.append(PathSyntax.SEPARATOR);
      }
      b.append(n.display());
    }
    return b.toString();
  }

  private boolean isNormal() {
    for (Name n : names) {
      if (n.isSelf() || n.isParent() || n == Name.EMPTY) {
        return false;
      }
    }
    return true;
  }

  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
      throws IOException {
    Objects.requireNonNull(watcher, "watcher");
    if (!(watcher instanceof RdbssWatchService w) || w.fileSystem() != fs) {
      throw new ProviderMismatchException("a watch service of another file system");
    }
    return w.register(this, events, modifiers);
  }

  @Override
  public int compareTo(Path other) {
    RdbssPath o = (RdbssPath) other;
    return canonicalString().compareTo(o.canonicalString());
  }

  private String canonicalString() {
    StringBuilder b = new StringBuilder(absolute ? PathSyntax.SEPARATOR : "");
    for (int i = 0; i < names.size(); i++) {
      b.append(i > 0 ? PathSyntax.SEPARATOR : "").append(names.get(i).canonical());
    }
    return b.toString();
  }

  private RdbssPath check(Path other) {
    Objects.requireNonNull(other, "other");
    if (!(other instanceof RdbssPath o) || o.fs != fs) {
      throw new ProviderMismatchException("a path of another file system: " + other);
    }
    return o;
  }

  /** Equal when of the same file system and equal name by name as the share compares names. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RdbssPath p
        && p.fs == fs
        && p.absolute == absolute
        && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(fs), absolute, names);
  }

  @Override
  public String toString() {
    String s = string;
    if (s == null) {
      s = isEmpty() ? "" : PathSyntax.render(absolute, names);
      string = s;
    }
    return s;
  }
}
