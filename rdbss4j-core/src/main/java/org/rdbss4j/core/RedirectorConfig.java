package org.rdbss4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable settings of a {@link Redirector}, built with {@link #builder()}; {@link #toBuilder()}
 * derives a variant. The defaults are RDBSS's where it has one.
 *
 * @param scavengerTimeout how long a marked node (a delayed close, a dormant SRV_CALL, an idle
 *     implicit connection) waits before the scavenger finalizes it; RDBSS's default is 10 s
 * @param maxCloseDelayedFiles MaximumNumberOfCloseDelayedFiles given to each SRV_CALL (0: never
 *     delay a close); a mini-redirector may change it per server
 * @param maxDormantFiles MaximumNumberOfDormantFiles: how many delayed closes the whole redirector
 *     keeps before purging the oldest; RDBSS uses 50
 * @param caseInsensitiveFileNames treat file names as a case-insensitive share does
 * @param flushTimeout how long a forced finalization waits to flush an orphaned file's data
 * @param miniRedirectors the mini-redirectors in provider order
 * @param attributeCacheLifetime how long file attributes are answered from the cache (default 1 s;
 *     0: off)
 * @param directoryCacheLifetime how long directory listings are answered from the cache (default 1
 *     s; 0: off)
 * @param notFoundCacheLifetime how long a name that did not exist is known missing (default 1 s; 0:
 *     off)
 * @param dataCacheBudget the bytes of file data the {@link DataCache} may hold across all files
 *     (default 64 MiB; 0: no data caching)
 * @param dirtyWriteBackDelay how long written data may stay held back before the lazy writer writes
 *     it to the server (default 5 s)
 */
public record RedirectorConfig(
    Duration scavengerTimeout,
    int maxCloseDelayedFiles,
    int maxDormantFiles,
    boolean caseInsensitiveFileNames,
    Duration flushTimeout,
    List<MiniRedirector> miniRedirectors,
    Duration attributeCacheLifetime,
    Duration directoryCacheLifetime,
    Duration notFoundCacheLifetime,
    long dataCacheBudget,
    Duration dirtyWriteBackDelay) {

  /**
   * The default lifetime of the three metadata caches: 1 s (cifs's {@code actimeo}; the Windows
   * redirector uses 10 s for file information). See docs/caching.md.
   */
  public static final Duration DEFAULT_METADATA_CACHE_LIFETIME = Duration.ofSeconds(1);

  /** The default {@link #dataCacheBudget()}: 64 MiB. */
  public static final long DEFAULT_DATA_CACHE_BUDGET = 64L << 20;

  public RedirectorConfig {
    miniRedirectors = List.copyOf(miniRedirectors);
    if (scavengerTimeout.isNegative()
        || flushTimeout.isNegative()
        || attributeCacheLifetime.isNegative()
        || directoryCacheLifetime.isNegative()
        || notFoundCacheLifetime.isNegative()
        || dirtyWriteBackDelay.isNegative()
        || dirtyWriteBackDelay.isZero()) {
      throw new IllegalArgumentException("negative timeout");
    }
    if (dataCacheBudget < 0) {
      throw new IllegalArgumentException("negative data cache budget");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.scavengerTimeout = scavengerTimeout;
    b.maxCloseDelayedFiles = maxCloseDelayedFiles;
    b.maxDormantFiles = maxDormantFiles;
    b.caseInsensitiveFileNames = caseInsensitiveFileNames;
    b.flushTimeout = flushTimeout;
    b.miniRedirectors.addAll(miniRedirectors);
    b.attributeCacheLifetime = attributeCacheLifetime;
    b.directoryCacheLifetime = directoryCacheLifetime;
    b.notFoundCacheLifetime = notFoundCacheLifetime;
    b.dataCacheBudget = dataCacheBudget;
    b.dirtyWriteBackDelay = dirtyWriteBackDelay;
    return b;
  }

  /** Builder of {@link RedirectorConfig}. */
  public static final class Builder {
    private Duration scavengerTimeout = Duration.ofSeconds(10);
    private int maxCloseDelayedFiles = 16;
    private int maxDormantFiles = 50;
    private boolean caseInsensitiveFileNames = true;
    private Duration flushTimeout = Duration.ofSeconds(30);
    private final List<MiniRedirector> miniRedirectors = new ArrayList<>();
    private Duration attributeCacheLifetime = DEFAULT_METADATA_CACHE_LIFETIME;
    private Duration directoryCacheLifetime = DEFAULT_METADATA_CACHE_LIFETIME;
    private Duration notFoundCacheLifetime = DEFAULT_METADATA_CACHE_LIFETIME;
    private long dataCacheBudget = DEFAULT_DATA_CACHE_BUDGET;
    private Duration dirtyWriteBackDelay = Duration.ofSeconds(5);

    /** How long written data may stay held back before the lazy writer writes it (> 0). */
    public Builder dirtyWriteBackDelay(Duration d) {
      this.dirtyWriteBackDelay = d;
      return this;
    }

    /** The data cache budget in bytes (0: no data caching). */
    public Builder dataCacheBudget(long bytes) {
      this.dataCacheBudget = bytes;
      return this;
    }

    /** Sets all three metadata cache lifetimes (see {@link MetadataCache}). */
    public Builder metadataCacheLifetime(Duration d) {
      return attributeCacheLifetime(d).directoryCacheLifetime(d).notFoundCacheLifetime(d);
    }

    public Builder attributeCacheLifetime(Duration d) {
      this.attributeCacheLifetime = d;
      return this;
    }

    public Builder directoryCacheLifetime(Duration d) {
      this.directoryCacheLifetime = d;
      return this;
    }

    public Builder notFoundCacheLifetime(Duration d) {
      this.notFoundCacheLifetime = d;
      return this;
    }

    public Builder scavengerTimeout(Duration d) {
      this.scavengerTimeout = d;
      return this;
    }

    public Builder maxCloseDelayedFiles(int n) {
      this.maxCloseDelayedFiles = n;
      return this;
    }

    public Builder maxDormantFiles(int n) {
      this.maxDormantFiles = n;
      return this;
    }

    public Builder caseInsensitiveFileNames(boolean b) {
      this.caseInsensitiveFileNames = b;
      return this;
    }

    public Builder flushTimeout(Duration d) {
      this.flushTimeout = d;
      return this;
    }

    /** Adds a mini-redirector after those already added (provider order). */
    public Builder miniRedirector(MiniRedirector m) {
      this.miniRedirectors.add(m);
      return this;
    }

    public RedirectorConfig build() {
      return new RedirectorConfig(
          scavengerTimeout,
          maxCloseDelayedFiles,
          maxDormantFiles,
          caseInsensitiveFileNames,
          flushTimeout,
          miniRedirectors,
          attributeCacheLifetime,
          directoryCacheLifetime,
          notFoundCacheLifetime,
          dataCacheBudget,
          dirtyWriteBackDelay);
    }
  }
}
