package org.rdbss4j.nio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rdbss4j.core.MiniRedirector;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;

/**
 * The mini-redirectors of the shared in-process {@link Redirector} that {@code rdbss} file systems
 * use when their {@code env} names none ({@link RdbssEnv#REDIRECTOR}). Register each once, in
 * provider order, before opening file systems:
 *
 * <pre>{@code
 * MiniRedirectorRegistry.register(new LocalMiniRedirector(config));
 * FileSystem fs = FileSystems.newFileSystem(URI.create("rdbss://local/share"), Map.of());
 * }</pre>
 *
 * <p>The shared redirector starts with the first file system that needs it and closes when the last
 * one closes, so file systems open at the same time share its SRV_CALLs (one transport per server).
 * A registration change takes effect for the next redirector: file systems already open keep the
 * one they started with.
 */
public final class MiniRedirectorRegistry {
  private static final List<MiniRedirector> REGISTERED = new ArrayList<>();
  private static final Map<Redirector, int[]> USERS = new IdentityHashMap<>();
  private static Redirector current;

  private MiniRedirectorRegistry() {}

  /** Adds a mini-redirector after those already registered (provider order). */
  public static synchronized void register(MiniRedirector m) {
    if (!REGISTERED.contains(m)) {
      REGISTERED.add(m);
      current = null;
    }
  }

  /** Removes a mini-redirector; file systems open on it keep it until they close. */
  public static synchronized void unregister(MiniRedirector m) {
    if (REGISTERED.remove(m)) {
      current = null;
    }
  }

  /** The mini-redirectors registered, in provider order. */
  public static synchronized List<MiniRedirector> registered() {
    return List.copyOf(REGISTERED);
  }

  /** Whether a shared redirector is running (for tests and status displays). */
  public static synchronized boolean isSharedRedirectorRunning() {
    return !USERS.isEmpty();
  }

  /** The shared redirector, started if needed, with one more user. */
  static synchronized Redirector acquire() {
    if (REGISTERED.isEmpty()) {
      throw new IllegalStateException(
          "no mini-redirector is registered: call MiniRedirectorRegistry.register, or pass a"
              + " Redirector as env key '"
              + RdbssEnv.REDIRECTOR.name()
              + "'");
    }
    if (current == null) {
      RedirectorConfig.Builder b = RedirectorConfig.builder();
      REGISTERED.forEach(b::miniRedirector);
      current = Redirector.start(b.build());
      USERS.put(current, new int[1]);
    }
    USERS.get(current)[0]++;
    return current;
  }

  /** One user of a shared redirector is done; the last closes it. */
  static void release(Redirector rdr) {
    boolean last;
    synchronized (MiniRedirectorRegistry.class) {
      int[] n = USERS.get(rdr);
      if (n == null) {
        return;
      }
      last = --n[0] == 0;
      if (last) {
        USERS.remove(rdr);
        if (current == rdr) {
          current = null;
        }
      }
    }
    if (last) {
      rdr.close();
    }
  }
}
