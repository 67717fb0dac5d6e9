package org.rdbss4j.nio;

import java.nio.file.PathMatcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code glob:} and {@code regex:} path matchers, matched against a path's string ({@code
 * dir\file.txt}). In a glob, {@code *} matches within a name, {@code **} across names, {@code ?}
 * one character of a name, {@code [a-z]} and {@code [!a-z]} one character of a set, {@code {a,b}}
 * one of the alternatives; {@code \} escapes the next character, and a separator is written {@code
 * /} or {@code \\}. On a case-insensitive share both kinds ignore case, as on Windows.
 */
final class Globs {
  private static final String SEP = "\\\\";
  private static final String NOT_SEP = "[^\\\\]";

  private Globs() {}

  /** The matcher of {@code syntax:pattern} (FileSystem.getPathMatcher). */
  static PathMatcher matcher(String syntaxAndPattern, boolean caseInsensitive) {
    int colon = syntaxAndPattern.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected syntax:pattern, got " + syntaxAndPattern);
    }
    String syntax = syntaxAndPattern.substring(0, colon);
    String pattern = syntaxAndPattern.substring(colon + 1);
    String regex =
        switch (syntax.toLowerCase(java.util.Locale.ROOT)) {
          case "glob" -> toRegex(pattern);
          case "regex" -> pattern;
          default ->
              throw new UnsupportedOperationException("unknown path matcher syntax: " + syntax);
        };
    int flags = caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    Pattern p = Pattern.compile(regex, flags);
    return path -> p.matcher(path.toString()).matches();
  }

  /** The regular expression of a glob. */
  static String toRegex(String glob) {
    StringBuilder r = new StringBuilder("^");
    boolean inGroup = false;
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i++);
      switch (c) {
        case '\\' -> {
          if (i == glob.length()) {
            throw new PatternSyntaxException("no character to escape", glob, i - 1);
          }
          literal(r, glob.charAt(i++));
        }
        case '/' -> r.append(SEP);
        case '*' -> {
          if (i < glob.length() && glob.charAt(i) == '*') {
            r.append(".*");
            i++;
          } else {
            r.append(NOT_SEP).append('*');
          }
        }
        case '?' -> r.append(NOT_SEP);
        case '[' -> i = bracket(glob, i, r);
        case '{' -> {
          if (inGroup) {
            throw new PatternSyntaxException("nested groups are not supported", glob, i - 1);
          }
          r.append("(?:(?:");
          inGroup = true;
        }
        case '}' -> {
          if (inGroup) {
            r.append("))");
            inGroup = false;
          } else {
            literal(r, c);
          }
        }
        case ',' -> r.append(inGroup ? ")|(?:" : ",");
        default -> literal(r, c);
      }
    }
    if (inGroup) {
      throw new PatternSyntaxException("missing '}'", glob, glob.length() - 1);
    }
    return r.append('$').toString();
  }

  /** A bracket expression starting after {@code [}; returns the index after {@code ]}. */
  private static int bracket(String glob, int start, StringBuilder r) {
    r.append("[[^\\\\]&&[");
    int i = start;
    if (i < glob.length() && glob.charAt(i) == '!') {
      r.append('^');
      i++;
    } else if (i < glob.length() && glob.charAt(i) == '^') {
      r.append("\\^");
      i++;
    }
    boolean first = true;
    while (i < glob.length()) {
      char c = glob.charAt(i++);
      if (c == ']' && !first) {
        r.append("]]");
        return i;
      }
      if (c == '/' || c == '\\') {
        throw new PatternSyntaxException("a separator in a bracket expression", glob, i - 1);
      }
      if (c == '-' && !first && i < glob.length() && glob.charAt(i) != ']') {
        r.append('-');
      } else if (c == '[' || c == '&' || c == '^' || c == '-' || c == ']') {
        r.append('\\').append(c);
      } else {
        r.append(c);
      }
      first = false;
    }
    throw new PatternSyntaxException("missing ']'", glob, glob.length() - 1);
  }

  private static void literal(StringBuilder r, char c) {
    if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
      r.append('\\');
    }
    r.append(c);
  }
}
