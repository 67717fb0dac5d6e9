package org.rdbss4j.nio;

import java.util.Locale;

/**
 * One name of a path, as jimfs keeps it: the form to display, exactly as given, and the canonical
 * form that equality, hashing and ordering use. On a case-insensitive share the canonical form is
 * upper-cased as the core's FCB and prefix tables do ({@link Locale#ROOT}).
 *
 * @param display the name as given
 * @param canonical the name compared
 */
record Name(String display, String canonical) {
  /** The single name of the empty path. */
  static final Name EMPTY = new Name("", "");

  static final Name SELF = new Name(".", ".");

  static final Name PARENT = new Name("..", "..");

  /** The name of {@code s} on a share that folds case or not. */
  static Name of(String s, boolean caseInsensitive) {
    return switch (s) {
      case "" -> EMPTY;
      case "." -> SELF;
      case ".." -> PARENT;
      default -> new Name(s, caseInsensitive ? s.toUpperCase(Locale.ROOT) : s);
    };
  }

  boolean isSelf() {
    return canonical.equals(".");
  }

  boolean isParent() {
    return canonical.equals("..");
  }

  /** Names are equal when their canonical forms are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Name n && n.canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  @Override
  public String toString() {
    return display;
  }
}
