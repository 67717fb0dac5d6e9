package org.rdbss4j.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short-lived metadata caches, as the Windows redirector's FileInfoCache, DirectoryCache and
 * FileNotFoundCache (and Linux cifs's actimeo): file attributes, directory listings and names known
 * not to exist, per share. Each has its own lifetime in {@link RedirectorConfig}; zero turns it
 * off. Entries are dropped by our own changes (writes, sets, creates, renames, deletes) and by
 * change notifications; an overflow notification drops the whole share.
 *
 * <p>Keys are paths as the share's FCB table compares them (case-insensitively on a
 * case-insensitive share).
 */
public final class MetadataCache {
  private record Timed<T>(T value, long expiresAt) {
    boolean fresh(long now) {
      return now - expiresAt < 0;
    }
  }

  private static final class Share {
    final Map<String, Timed<FileInfo>> attributes = new ConcurrentHashMap<>();
    final Map<String, Timed<List<FileInfo>>> listings = new ConcurrentHashMap<>();
    final Map<String, Timed<Boolean>> notFound = new ConcurrentHashMap<>();
  }

  private final long attributeNanos;
  private final long directoryNanos;
  private final long notFoundNanos;

  /** Per share, by NET_ROOT name: entries outlive a NET_ROOT that is finalized and rebuilt. */
  private final Map<String, Share> shares = new ConcurrentHashMap<>();

  private static final int SWEEP_ABOVE = 10_000;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  MetadataCache(RedirectorConfig config) {
    this.attributeNanos = config.attributeCacheLifetime().toNanos();
    this.directoryNanos = config.directoryCacheLifetime().toNanos();
    this.notFoundNanos = config.notFoundCacheLifetime().toNanos();
  }

  /** Lookups answered from the caches. */
  public long hits() {
    return hits.get();
  }

  /** Lookups the caches could not answer. */
  public long misses() {
    return misses.get();
  }

  /** Entries held, over all shares and kinds. */
  public int size() {
    int n = 0;
    for (Share s : shares.values()) {
      n += s.attributes.size() + s.listings.size() + s.notFound.size();
    }
    return n;
  }

  private Share share(NetRoot n) {
    return shares.computeIfAbsent(n.name().toUpperCase(java.util.Locale.ROOT), k -> new Share());
  }

  /** Drops expired entries of a map that grew large, so memory stays bounded. */
  private static <T> void sweep(Map<String, Timed<T>> map) {
    if (map.size() > SWEEP_ABOVE) {
      long now = System.nanoTime();
      map.values().removeIf(t -> !t.fresh(now));
    }
  }

  private String key(NetRoot n, String path) {
    return n.fcbTable.keyOf(path);
  }

  private <T> T get(Map<String, Timed<T>> map, String key) {
    Timed<T> t = map.get(key);
    if (t != null && t.fresh(System.nanoTime())) {
      hits.incrementAndGet();
      return t.value();
    }
    if (t != null) {
      map.remove(key, t);
    }
    misses.incrementAndGet();
    return null;
  }

  FileInfo attributes(NetRoot n, String path) {
    return attributeNanos == 0 ? null : get(share(n).attributes, key(n, path));
  }

  void putAttributes(NetRoot n, String path, FileInfo info) {
    if (attributeNanos > 0 && info != null) {
      Map<String, Timed<FileInfo>> m = share(n).attributes;
      sweep(m);
      m.put(key(n, path), new Timed<>(info, System.nanoTime() + attributeNanos));
    }
  }

  List<FileInfo> listing(NetRoot n, String dir, String pattern) {
    return directoryNanos == 0 ? null : get(share(n).listings, key(n, dir) + "\u0000" + pattern);
  }

  /**
   * A listing as the server returned it, cached for the directory and pattern (the sizes of files
   * with dirty pages are adjusted each time it is returned, not here).
   */
  void putListing(NetRoot n, String dir, String pattern, List<FileInfo> entries) {
    if (directoryNanos == 0) {
      return;
    }
    long until = System.nanoTime() + directoryNanos;
    share(n)
        .listings
        .put(key(n, dir) + "\u0000" + pattern, new Timed<>(List.copyOf(entries), until));
  }

  /**
   * Primes the attribute entries of the names a listing of {@code dir} returned (the Windows
   * redirector fills its FileInfoCache from directory enumerations; cifs primes its inodes from
   * readdir), so that a stat of a listed name within the attribute lifetime needs no request. The
   * entries carry the sizes callers see (dirty pages included); {@code .} and {@code ..} and
   * unnamed entries are skipped. Entries live as long as those a query fills, and are dropped by
   * the same changes.
   */
  void primeAttributes(NetRoot n, String dir, List<FileInfo> entries) {
    if (attributeNanos == 0 || entries.isEmpty()) {
      return;
    }
    Map<String, Timed<FileInfo>> m = share(n).attributes;
    sweep(m);
    long until = System.nanoTime() + attributeNanos;
    String prefix = dir.isEmpty() ? "" : key(n, dir) + "\\";
    for (FileInfo e : entries) {
      String name = e.name();
      if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
        continue;
      }
      m.put(prefix + key(n, name), new Timed<>(e, until));
    }
  }

  /**
   * The fresh attributes of a path without counting a hit or a miss: what an open may reuse (the
   * file id, the name as the server spells it) when its own reply carries the rest.
   */
  FileInfo peekAttributes(NetRoot n, String path) {
    if (attributeNanos == 0) {
      return null;
    }
    Timed<FileInfo> t = share(n).attributes.get(key(n, path));
    return t != null && t.fresh(System.nanoTime()) ? t.value() : null;
  }

  boolean knownMissing(NetRoot n, String path) {
    return notFoundNanos > 0 && get(share(n).notFound, key(n, path)) != null;
  }

  void putMissing(NetRoot n, String path) {
    if (notFoundNanos > 0) {
      share(n)
          .notFound
          .put(key(n, path), new Timed<>(Boolean.TRUE, System.nanoTime() + notFoundNanos));
    }
  }

  /** A path exists (an open succeeded): it is no longer known missing. */
  void found(NetRoot n, String path) {
    Share s = shares.get(n.name().toUpperCase(java.util.Locale.ROOT));
    if (s != null && !s.notFound.isEmpty()) {
      s.notFound.remove(key(n, path));
    }
  }

  /**
   * A path changed (our write, set, create, delete or a change notification): drop its attributes,
   * its not-found entry, and the listings of its parent directory.
   */
  void changed(NetRoot n, String path) {
    Share s = shares.get(n.name().toUpperCase(java.util.Locale.ROOT));
    if (s == null) {
      return;
    }
    String k = key(n, path);
    s.attributes.remove(k);
    s.notFound.remove(k);
    String parent = parentOf(k);
    s.listings
        .keySet()
        .removeIf(l -> l.startsWith(parent + "\u0000") || l.startsWith(k + "\u0000"));
  }

  /** Everything of a share is suspect (notification overflow, reconnect). */
  void forget(NetRoot n) {
    shares.remove(n.name().toUpperCase(java.util.Locale.ROOT));
  }

  private static String parentOf(String path) {
    int i = path.lastIndexOf('\\');
    return i < 0 ? "" : path.substring(0, i);
  }
}
