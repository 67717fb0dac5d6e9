package org.rdbss4j.local;

/**
 * The {@code *} and {@code ?} wildcards of a directory query, matched case-insensitively as on a
 * Windows share. {@code *} and {@code *.*} match every name.
 */
final class Wildcards {
  private Wildcards() {}

  /** Whether {@code name} matches {@code pattern}. */
  static boolean matches(String pattern, String name) {
    if (pattern.isEmpty() || pattern.equals("*") || pattern.equals("*.*")) {
      return true;
    }
    int p = 0;
    int n = 0;
    int star = -1;
    int mark = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = n;
      } else if (p < pattern.length()
          && (pattern.charAt(p) == '?' || same(pattern.charAt(p), name.charAt(n)))) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean same(char a, char b) {
    return a == b
        || Character.toUpperCase(a) == Character.toUpperCase(b)
        || Character.toLowerCase(a) == Character.toLowerCase(b);
  }
}
