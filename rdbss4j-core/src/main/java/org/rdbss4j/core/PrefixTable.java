package org.rdbss4j.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The net-name (prefix) table (RX_PREFIX_TABLE): SRV_CALL, NET_ROOT and V_NET_ROOT names, never
 * FCBs. Guarded by one reader/writer lock, the outermost of {@link LockOrder}: insert and remove
 * need it exclusive, lookups shared or exclusive.
 *
 * <p>Lookup walks the name's component boundaries ({@code \} or {@code :}) from shortest to
 * longest: a SRV_CALL hit keeps going; the first NET_ROOT or V_NET_ROOT hit stops. V_NET_ROOT
 * entries carry their identity's logon id as the connection id, which must match exactly. SRV_CALL
 * names compare case-insensitively; a NET_ROOT's share part does so only when its SRV_CALL has
 * {@link SrvCall#FLAG_CASE_INSENSITIVE_NETROOTS}, a V_NET_ROOT's when it has {@link
 * SrvCall#FLAG_CASE_INSENSITIVE_FILENAMES}.
 */
public final class PrefixTable {
  /** One entry (RX_PREFIX_ENTRY). */
  record Entry(String key, String name, RxNode node, long connectionId, boolean caseInsensitive) {}

  private final OrderedLock lock = OrderedLock.readWrite(LockOrder.PREFIX_TABLE, "prefix table");
  private final Map<String, Entry> entries = new HashMap<>();
  private int version;

  /** Entries whose share or path part compares case-sensitively; none on most servers. */
  private int caseSensitiveEntries;

  /** The table's lock. */
  public OrderedLock lock() {
    return lock;
  }

  /** The number of names in the table. */
  public int size() {
    lock.lockShared();
    try {
      return entries.size();
    } finally {
      lock.unlockShared();
    }
  }

  /** The names in the table, for leak checks and status displays. */
  public List<String> names() {
    lock.lockShared();
    try {
      List<String> l = new ArrayList<>();
      for (Entry e : entries.values()) {
        l.add(e.name());
      }
      return l;
    } finally {
      lock.unlockShared();
    }
  }

  /** The table's version, bumped on every insert and remove. */
  public int version() {
    return version;
  }

  /** RxPrefixTableInsertName. The table must be held exclusive. */
  void insert(String name, RxNode node, long connectionId, boolean caseInsensitive) {
    requireExclusive();
    String key = key(name, caseInsensitive, serverLength(name));
    if (entries.putIfAbsent(key, new Entry(key, name, node, connectionId, caseInsensitive))
        != null) {
      throw new RxException(NtStatus.OBJECT_NAME_COLLISION, "name already in the table: " + name);
    }
    if (!caseInsensitive) {
      caseSensitiveEntries++;
    }
    version++;
  }

  /**
   * RxRemovePrefixTableEntry: unlinks the name; does not drop the reference the insert stood for.
   */
  boolean remove(String name, RxNode node) {
    requireExclusive();
    for (boolean ci : new boolean[] {true, false}) {
      String key = key(name, ci, serverLength(name));
      Entry e = entries.get(key);
      if (e != null && e.node() == node) {
        entries.remove(key);
        if (!e.caseInsensitive()) {
          caseSensitiveEntries--;
        }
        version++;
        return true;
      }
    }
    return false;
  }

  /**
   * A lookup under the table's shared lock, without taking a reference: for status displays and
   * benchmarks. Returns {@code null} when nothing matches.
   */
  public Lookup find(String name, long connectionId) {
    lock.lockShared();
    try {
      return lookup(name, connectionId);
    } finally {
      lock.unlockShared();
    }
  }

  /** The result of a lookup: the node found and the unmatched tail of the name. */
  public record Lookup(RxNode node, String remainingName) {}

  /**
   * RxPrefixTableLookupName without the reference: the longest-prefix match of {@code name} on
   * component boundaries, as described on the class. The table must be held (shared is enough). A
   * NET_ROOT hit is converted to its default V_NET_ROOT, or its first one, or returned as is.
   */
  Lookup lookup(String name, long connectionId) {
    if (!lock.isHeld()) {
      throw new IllegalStateException("prefix table lookup without the table lock");
    }
    Lookup srvCallHit = null;
    int serverLen = serverLength(name);
    String upper = name.toUpperCase(Locale.ROOT);
    for (int i = 1; i <= name.length(); i++) {
      if (i < name.length() && name.charAt(i) != '\\' && name.charAt(i) != ':') {
        continue;
      }
      String candidate = name.substring(0, i);
      Entry e = entries.get(upper.substring(0, i));
      if (e == null || !matches(e, candidate, connectionId)) {
        Entry exact =
            caseSensitiveEntries == 0 ? null : entries.get(key(candidate, false, serverLen));
        e = exact != null && matches(exact, candidate, connectionId) ? exact : null;
      }
      if (e == null) {
        continue;
      }
      String rest = name.substring(i);
      switch (e.node()) {
        case SrvCall s -> srvCallHit = new Lookup(s, rest);
        case NetRoot n -> {
          VNetRoot v = n.defaultVNetRoot != null ? n.defaultVNetRoot : firstOf(n);
          return new Lookup(v != null ? v : n, rest);
        }
        default -> {
          return new Lookup(e.node(), rest);
        }
      }
    }
    return srvCallHit;
  }

  private static VNetRoot firstOf(NetRoot n) {
    return n.vNetRoots.isEmpty() ? null : n.vNetRoots.get(0);
  }

  private static boolean matches(Entry e, String candidate, long connectionId) {
    if (e.node() instanceof VNetRoot && e.connectionId() != connectionId) {
      return false;
    }
    if (e.node() instanceof SrvCall) {
      return true;
    }
    boolean ci =
        switch (e.node()) {
          case NetRoot n -> (n.srvCall.flags() & SrvCall.FLAG_CASE_INSENSITIVE_NETROOTS) != 0;
          case VNetRoot v ->
              (v.netRoot.srvCall.flags() & SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES) != 0;
          default -> true;
        };
    return ci
        ? e.name().equalsIgnoreCase(candidate)
        : e.key().equals(key(candidate, false, serverLength(candidate)));
  }

  /** The length of the server part of a name, {@code \server} (or {@code \;X:id\server}). */
  static int serverLength(String name) {
    int start = 1;
    if (name.startsWith("\\;")) {
      int s = name.indexOf('\\', 2);
      if (s < 0) {
        return name.length();
      }
      start = s + 1;
    }
    int e = name.indexOf('\\', start);
    return e < 0 ? name.length() : e;
  }

  private static String key(String name, boolean caseInsensitive, int serverLen) {
    if (caseInsensitive) {
      return name.toUpperCase(Locale.ROOT);
    }
    int n = Math.min(serverLen, name.length());
    return name.substring(0, n).toUpperCase(Locale.ROOT) + name.substring(n);
  }

  private void requireExclusive() {
    if (!lock.isHeldExclusive()) {
      throw new IllegalStateException("prefix table must be held exclusive");
    }
  }
}
