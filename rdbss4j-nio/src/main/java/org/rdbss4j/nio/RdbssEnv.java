package org.rdbss4j.nio;

import java.util.Map;
import java.util.Objects;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.Redirector;

/**
 * The typed keys of the {@code env} map of {@link
 * java.nio.file.FileSystems#newFileSystem(java.net.URI, Map)} for an {@code rdbss} file system, in
 * the manner of MINA SSHD's property keys: each has a name (the map key) and a type, and a value of
 * another type is refused with an {@link IllegalArgumentException} naming the key.
 *
 * <pre>{@code
 * Map<String, Object> env = Map.of(
 *     RdbssEnv.USER.name(), "alice",
 *     RdbssEnv.PASSWORD.name(), "secret".toCharArray());
 * FileSystem fs = FileSystems.newFileSystem(URI.create("rdbss://server/share"), env);
 * }</pre>
 */
public final class RdbssEnv {
  /**
   * One typed key.
   *
   * @param name the key in the env map
   * @param type the type its value must have
   */
  public record Key<T>(String name, Class<T> type) {
    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    /** The value in {@code env}, or {@code null} when absent. */
    public T get(Map<String, ?> env) {
      Object v = env == null ? null : env.get(name);
      if (v == null) {
        return null;
      }
      if (type == Integer.class && v instanceof String s) {
        return type.cast(parse(s, Integer::valueOf));
      }
      if (type == Long.class && v instanceof String s) {
        return type.cast(parse(s, Long::valueOf));
      }
      if (type == Long.class && v instanceof Integer i) {
        return type.cast(i.longValue());
      }
      if (!type.isInstance(v)) {
        throw new IllegalArgumentException(
            "env key '" + name + "' needs a " + type.getSimpleName() + ", not " + v.getClass());
      }
      return type.cast(v);
    }

    private <N> N parse(String s, java.util.function.Function<String, N> f) {
      try {
        return f.apply(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("env key '" + name + "' needs a number: " + s, e);
      }
    }
  }

  /** The user name to connect as; also accepted as the URI's user info. */
  public static final Key<String> USER = new Key<>("user", String.class);

  /** The user's domain. */
  public static final Key<String> DOMAIN = new Key<>("domain", String.class);

  /** The password; copied, never kept in the file system, wiped with its V_NET_ROOT. */
  public static final Key<char[]> PASSWORD = new Key<>("password", char[].class);

  /** The TCP port (an Integer or a decimal String); the URI's port when absent. */
  public static final Key<Integer> PORT = new Key<>("port", Integer.class);

  /** The caller identity (logon id) the V_NET_ROOT belongs to. */
  public static final Key<CallerIdentity> IDENTITY = new Key<>("identity", CallerIdentity.class);

  /** A logon id, when no {@link #IDENTITY} is given (a Long, Integer or decimal String). */
  public static final Key<Long> LOGON_ID = new Key<>("logonId", Long.class);

  /**
   * The redirector to connect through; owned by the caller, never closed by the file system.
   * Absent: the shared in-process redirector of {@link MiniRedirectorRegistry}.
   */
  public static final Key<Redirector> REDIRECTOR = new Key<>("redirector", Redirector.class);

  private RdbssEnv() {}
}
