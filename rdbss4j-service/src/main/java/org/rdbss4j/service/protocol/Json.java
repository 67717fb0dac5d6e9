package org.rdbss4j.service.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON codec for the control protocol (RFC 8259): objects become {@link
 * LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Long} (or {@link Double} when they
 * have a fraction or exponent), and {@code true}, {@code false}, {@code null} themselves. Nesting
 * is limited to {@value #MAX_DEPTH} levels so that a hostile frame cannot exhaust the stack.
 */
public final class Json {
  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 32;

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Thrown for text that is not one well-formed JSON value. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  /** Parses one JSON value that must fill the whole text (whitespace aside). */
  public static Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("a request is a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private JsonException error(String what) {
    return new JsonException(what + " at offset " + pos);
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    if (pos >= s.length()) {
      throw error("unexpected end of text");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character");
      }
    };
  }

  private Object literal(String word, Object v) throws JsonException {
    if (!s.startsWith(word, pos)) {
      throw error("bad literal");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) throws JsonException {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWs();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWs();
      expect(':');
      skipWs();
      if (m.put(key, value(depth + 1)) != null || m.size() > 10_000) {
        throw error("duplicate member or too many members");
      }
      skipWs();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array(int depth) throws JsonException {
    List<Object> l = new ArrayList<>();
    pos++;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return l;
    }
    while (true) {
      skipWs();
      l.add(value(depth + 1));
      skipWs();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private void expect(char c) throws JsonException {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder b = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        break;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape");
      }
    }
    throw error("unterminated string");
  }

  private Object number() throws JsonException {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    boolean fraction = false;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        fraction = true;
        pos++;
      } else {
        break;
      }
    }
    String t = s.substring(start, pos);
    try {
      return fraction ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw error("bad number '" + t + "'");
    }
  }

  /** Writes a value made of maps, collections, strings, numbers, booleans and nulls. */
  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String str -> quote(b, str);
      case Boolean bool -> b.append(bool);
      case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
      case Number n -> b.append(n);
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          quote(b, String.valueOf(e.getKey()));
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case Iterable<?> it -> {
        b.append('[');
        boolean first = true;
        for (Object o : it) {
          if (!first) {
            b.append(',');
          }
          first = false;
          write(b, o);
        }
        b.append(']');
      }
      default -> quote(b, v.toString());
    }
  }

  private static void quote(StringBuilder b, String str) {
    b.append('"');
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
