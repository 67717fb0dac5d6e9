package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data cache (the cache manager's part of RDBSS): pages of {@value #PAGE_SIZE} bytes per FCB,
 * used only while the SRV_OPEN of a request holds the server's grant. With {@link Buffering#READ}
 * reads are served from cached pages and sequential reads read ahead (up to {@value
 * #MAX_WINDOW_PAGES} pages past the request, in the request's mini-redirector read and then on a
 * worker thread while the reader consumes the cache); with {@link Buffering#WRITE} (and READ)
 * writes are held back as dirty pages (through a handle that may not read, as pages that know only
 * their dirty range until a reader completes them). Without a grant every request goes to the
 * mini-redirector, after the FCB's dirty pages are written (as Linux cifs with cache=strict).
 *
 * <p>Memory is bounded by {@link RedirectorConfig#dataCacheBudget()} across all FCBs: the least
 * recently used pages are evicted, clean ones at once, dirty ones after they are written.
 *
 * <p>Locks: each FCB's paging I/O resource ({@link LockOrder#PAGING_IO}) serializes the requests
 * that fill or write back its pages and is held across those mini-redirector calls; the page table
 * ({@link LockOrder#DATA_CACHE}) is held only to look up, copy and account pages. Eviction writes a
 * victim's dirty pages only from a thread that holds no core lock.
 */
public final class DataCache {
  private static final Logger LOG = LoggerFactory.getLogger(DataCache.class);

  /** The size of a cached page. */
  public static final int PAGE_SIZE = 64 * 1024;

  /** The largest read-ahead window, in pages (4 MiB: several requests in flight over SMB). */
  public static final int MAX_WINDOW_PAGES = 64;

  /**
   * The most a single fill reads or a single write-back writes, in pages (16 MiB): one request to
   * the mini-redirector, which keeps up to 16 of its 1 MiB requests in flight over SMB.
   */
  static final int MAX_RUN_PAGES = 256;

  /** Writes of this size or more go straight to the server (1 MiB). */
  static final int DIRECT_WRITE_BYTES = 1 << 20;

  /**
   * Reads of this size or more of pages not cached go straight to the server (all their requests in
   * flight at once) and leave the pages they covered in the cache (1 MiB).
   */
  static final int DIRECT_READ_BYTES = 1 << 20;

  /**
   * Reads of this size or more of a file larger than the whole budget (a scan) go straight to the
   * server and keep nothing (256 KiB); smaller ones still profit from read-ahead.
   */
  static final int SCAN_READ_BYTES = 256 << 10;

  /**
   * The cache's figures.
   *
   * @param budget the configured budget in bytes (0: data caching off)
   * @param cachedBytes bytes of pages held, clean and dirty
   * @param dirtyBytes bytes written by callers and not yet written to the server
   * @param hits pages a read found in the cache
   * @param misses pages a read had to fetch
   * @param evictions pages evicted to stay within the budget
   * @param readAheadBytes bytes read ahead of what callers asked for
   * @param writeBackFailures write-backs the server refused (each reported to a caller)
   */
  public record Stats(
      long budget,
      long cachedBytes,
      long dirtyBytes,
      long hits,
      long misses,
      long evictions,
      long readAheadBytes,
      long writeBackFailures) {}

  /** The cached state of one FCB; everything but {@link #io} is guarded by the page table. */
  static final class FcbCache {
    final Fcb fcb;
    final OrderedLock io;
    final TreeMap<Long, Page> pages = new TreeMap<>();

    /** The file's size on the server (-1: unknown). */
    long serverSize = -1;

    /** The file's size as callers see it: the server's plus dirty pages past it (-1: unknown). */
    long fileSize = -1;

    long dirtyBytes;

    /** When the FCB's first page still dirty was written (System.nanoTime). */
    long dirtySince;

    long nextSequential;
    int window = 1;

    /** The last page read ahead for the current sequential stream (-1: none). */
    long aheadEnd = -1;

    /** Whether a background read-ahead of this FCB is queued or running. */
    boolean prefetching;

    /** The next range of a large sequential read of a scan-sized file, read ahead (or null). */
    Stream stream;

    /** A stream buffer no longer in use, kept for the next one (counted in stream bytes). */
    ByteBuffer spareStreamBuffer;

    /** A write-back failure no caller has been told about yet. */
    RxException pendingError;

    /** Caching turned off for good (byte-range locks, renamed). */
    boolean disabled;

    boolean released;

    /** Whether the FCB's information may give the size (false once pages were purged). */
    boolean trustInfo = true;

    FcbCache(Fcb fcb) {
      this.fcb = fcb;
      this.io = OrderedLock.exclusive(LockOrder.PAGING_IO, "paging I/O " + fcb.path());
    }
  }

  /**
   * A range read ahead for a large sequential reader, into a buffer of the cache, by a worker that
   * holds the FCB's paging I/O resource while it reads: a reader that takes the resource after it
   * finds the read done (or not started: then it is dropped). {@code n}: bytes read, -1 failed or
   * at the end, -2 not run yet.
   */
  static final class Stream {
    final SrvOpen srvOpen;
    final long offset;
    final int length;
    final ByteBuffer buf;
    int n = -2;

    Stream(SrvOpen srvOpen, long offset, int length, ByteBuffer buf) {
      this.srvOpen = srvOpen;
      this.offset = offset;
      this.length = length;
      this.buf = buf;
    }
  }

  /** One page: its bytes and the dirty range [dFrom, dTo) with the handle that wrote it. */
  static final class Page {
    final FcbCache file;
    final long index;
    final byte[] data = new byte[PAGE_SIZE];
    int dFrom;
    int dTo;
    SrvOpen writer;
    boolean mapped;

    /**
     * Whether every byte of the page is known; a page written through a handle that may not read
     * knows only its dirty range until a reader completes it from the server.
     */
    boolean full = true;

    Page(FcbCache file, long index) {
      this.file = file;
      this.index = index;
    }

    boolean dirty() {
      return dTo > dFrom;
    }
  }

  private final Redirector rdr;
  private final long budget;
  private final OrderedLock lock = OrderedLock.exclusive(LockOrder.DATA_CACHE, "data cache");
  private final LinkedHashMap<Page, Page> lru = new LinkedHashMap<>(64, 0.75f, true);
  private final Set<FcbCache> dirtyFiles = new LinkedHashSet<>();

  /** Written under the page table; read without it by {@link #enforceBudget}'s quick check. */
  private volatile long cachedBytes;

  private long dirtyBytes;
  private long hits;
  private long misses;
  private long evictions;
  private long readAheadBytes;

  /** Bytes of stream buffers across all FCBs (bounded by half the budget). Page table lock. */
  private long streamBytes;

  private long writeBackFailures;

  private final long writeBackDelayNanos;
  private volatile boolean stopped;
  private Thread lazyWriter;

  DataCache(Redirector rdr, long budget, java.time.Duration writeBackDelay) {
    this.rdr = rdr;
    this.budget = budget;
    this.writeBackDelayNanos = writeBackDelay.toNanos();
  }

  /**
   * Starts the lazy writer: a virtual thread that writes the dirty pages of every file whose data
   * has been held back for longer than {@link RedirectorConfig#dirtyWriteBackDelay()}, so held-back
   * data does not wait for a flush or close indefinitely.
   */
  void start() {
    if (budget <= 0) {
      return;
    }
    lazyWriter = Thread.ofVirtual().name("rdbss4j-lazy-writer").start(this::lazyWrite);
  }

  void stop() {
    stopped = true;
    Thread t = lazyWriter;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void lazyWrite() {
    long tick = Math.max(1_000_000L, Math.min(writeBackDelayNanos / 4, 1_000_000_000L));
    while (!stopped) {
      try {
        Thread.sleep(java.time.Duration.ofNanos(tick));
      } catch (InterruptedException e) {
        return;
      }
      List<FcbCache> due = new ArrayList<>();
      long now = System.nanoTime();
      lock.lockExclusive();
      try {
        for (FcbCache c : dirtyFiles) {
          if (now - c.dirtySince >= writeBackDelayNanos) {
            due.add(c);
          }
        }
      } finally {
        lock.unlockExclusive();
      }
      for (FcbCache c : due) {
        if (stopped) {
          return;
        }
        RxException failed = writeBackAndRemember(c.fcb);
        if (failed != null) {
          LOG.warn("lazy write of {}: {}", c.fcb, failed.getMessage());
          lock.lockExclusive();
          try {
            // try again after another delay, not at every tick
            c.dirtySince = System.nanoTime();
          } finally {
            lock.unlockExclusive();
          }
        }
      }
    }
  }

  /** The current figures. */
  public Stats stats() {
    lock.lockExclusive();
    try {
      return new Stats(
          budget,
          cachedBytes,
          dirtyBytes,
          hits,
          misses,
          evictions,
          readAheadBytes,
          writeBackFailures);
    } finally {
      lock.unlockExclusive();
    }
  }

  /** Bytes cached for one FCB (clean and dirty); 0 when nothing. */
  public long cachedBytes(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return 0;
    }
    lock.lockExclusive();
    try {
      return (long) c.pages.size() * PAGE_SIZE;
    } finally {
      lock.unlockExclusive();
    }
  }

  /** Dirty bytes held back for one FCB. */
  public long dirtyBytes(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return 0;
    }
    lock.lockExclusive();
    try {
      return c.dirtyBytes;
    } finally {
      lock.unlockExclusive();
    }
  }

  // ---- policy ----------------------------------------------------------------------------------

  private boolean cacheable(SrvOpen s) {
    Fcb fcb = s.fcb;
    if (budget <= 0
        || fcb.nodeType() != NodeType.STORAGE_TYPE_FILE
        || s.isOrphaned()
        || fcb.isOrphaned()) {
      return false;
    }
    FcbCache c = fcb.cache;
    return c == null || !c.disabled;
  }

  /** Whether reads through this handle may be served from the cache (READ granted). */
  boolean readsCached(SrvOpen s) {
    return s.buffering.contains(Buffering.READ) && cacheable(s);
  }

  /** Whether writes through this handle may be held back (READ and WRITE granted, may read). */
  boolean writesCached(SrvOpen s) {
    Set<Buffering> b = s.buffering;
    return b.contains(Buffering.WRITE) && b.contains(Buffering.READ) && cacheable(s);
  }

  private FcbCache cacheOf(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c != null) {
      return c;
    }
    lock.lockExclusive();
    try {
      if (fcb.cache == null) {
        fcb.cache = new FcbCache(fcb);
      }
      return fcb.cache;
    } finally {
      lock.unlockExclusive();
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  /**
   * A read served by the cache, or {@code null} when the handle may not cache (the caller reads
   * from the mini-redirector). Returns -1 at end of file. {@code streamAhead} false for a reader
   * that reads ahead itself into buffers of its own ({@link Transfers}): its large sequential reads
   * of a scan-sized file start no stream (the range read ahead into a buffer of the cache), whose
   * copy it would only pay for. Everything else stays: a file within the budget still has the pages
   * a large read covers kept (a copy, which makes the next read a hit) and small reads their page
   * read-ahead.
   */
  Integer read(RxContext ctx, SrvOpen s, long offset, ByteBuffer dst, boolean streamAhead) {
    if (!readsCached(s)) {
      return null;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    FcbCache c = cacheOf(s.fcb);
    long[] plan = new long[2];
    Integer fast = copyIfCached(c, offset, dst, plan);
    if (fast != null) {
      if (plan[1] > 0) {
        schedulePrefetch(s, c, plan[0], plan[1]);
      }
      return fast;
    }
    c.io.lockExclusive();
    try {
      if (!readsCached(s)) {
        return null;
      }
      ensureSizes(ctx, s, c);
      long eof = c.fileSize;
      if (offset >= eof) {
        return -1;
      }
      int want = (int) Math.min(dst.remaining(), eof - offset);
      long first = offset / PAGE_SIZE;
      long last = (offset + want - 1) / PAGE_SIZE;
      boolean scan = c.serverSize > budget && want >= SCAN_READ_BYTES;
      if ((want >= DIRECT_READ_BYTES || scan) && nothingCached(c, first, last)) {
        boolean sequential = offset == c.nextSequential;
        int n = fromStream(c, offset, dst, want);
        if (n < 0) {
          n = readThrough(ctx, s, c, offset, dst, want);
        } else if (n < want) {
          // the range read ahead was shorter than this read: the rest from the server (only the
          // end of the file makes a read short)
          try {
            int more = readThrough(ctx, s, c, offset + n, dst, want - n);
            if (more > 0) {
              n += more;
            }
          } catch (RuntimeException e) {
            // what the read ahead held is the caller's already: a short read, the failure is
            // the next read's
            return n;
          }
        }
        if (streamAhead && scan && sequential && n == want) {
          startStream(s, c, offset + n, want);
        }
        return n;
      }
      boolean sequential = offset == c.nextSequential;
      c.window = sequential ? Math.min(c.window * 2, MAX_WINDOW_PAGES) : 1;
      long lastPage = (eof - 1) / PAGE_SIZE;
      long aheadTo = sequential ? Math.min(last + c.window, lastPage) : last;
      Page[] need = fill(ctx, s, c, first, last, aheadTo);
      int copied = 0;
      lock.lockExclusive();
      try {
        for (Page p : need) {
          long ps = p.index * PAGE_SIZE;
          int from = (int) Math.max(0, offset + copied - ps);
          int n = (int) Math.min(PAGE_SIZE - from, want - copied);
          dst.put(p.data, from, n);
          copied += n;
          lru.get(p);
        }
        c.nextSequential = offset + copied;
        c.aheadEnd = sequential && aheadTo > last ? aheadTo : -1;
      } finally {
        lock.unlockExclusive();
      }
      return copied;
    } finally {
      c.io.unlockExclusive();
    }
  }

  /** Largest range one stream reads ahead. */
  static final int MAX_STREAM_BYTES = 16 << 20;

  /**
   * Serves a large read from the range read ahead for it: the bytes copied, or -1 when there is
   * none for this offset (any other stream of the file is dropped). Paging I/O held.
   */
  private int fromStream(FcbCache c, long offset, ByteBuffer dst, int want) {
    Stream st;
    lock.lockExclusive();
    try {
      st = c.stream;
      c.stream = null;
    } finally {
      lock.unlockExclusive();
    }
    if (st == null) {
      return -1;
    }
    int n = -1;
    if (st.offset == offset && st.n > 0) {
      n = Math.min(st.n, want);
      dst.put(st.buf.slice(0, n));
    }
    lock.lockExclusive();
    try {
      if (n > 0) {
        c.nextSequential = offset + n;
        hits += (n + PAGE_SIZE - 1) / PAGE_SIZE;
      }
      recycleLocked(c, st.buf);
    } finally {
      lock.unlockExclusive();
    }
    return n;
  }

  /** Keeps {@code buf} as the FCB's spare unless it has one or is released. Page table lock. */
  private void recycleLocked(FcbCache c, ByteBuffer buf) {
    if (c.released || c.spareStreamBuffer != null) {
      streamBytes -= buf.capacity();
    } else {
      c.spareStreamBuffer = buf;
    }
  }

  /**
   * After a large sequential read of a file larger than the budget (a scan, whose pages are not
   * kept): the next range of the same size (at most {@value #MAX_STREAM_BYTES}) is read on a worker
   * into a buffer of the cache while the caller handles this one, so the server is not idle between
   * the caller's calls. The data is the file's under the same grant as cached pages: a write,
   * purge, break or release drops it. Stream buffers are bounded to half the budget. Paging I/O
   * held.
   */
  private void startStream(SrvOpen s, FcbCache c, long from, int want) {
    Stream st;
    lock.lockExclusive();
    try {
      if (c.released || c.disabled || from >= c.serverSize || c.dirtyBytes != 0) {
        return;
      }
      int len = (int) Math.min(Math.min(want, MAX_STREAM_BYTES), c.serverSize - from);
      ByteBuffer buf = c.spareStreamBuffer;
      if (buf != null && buf.capacity() >= len) {
        c.spareStreamBuffer = null;
      } else {
        if (streamBytes + len > budget / 2) {
          return;
        }
        if (buf != null) {
          streamBytes -= buf.capacity();
          c.spareStreamBuffer = null;
        }
        // direct: the SMB transport reads into it from the socket with no copy in user space
        buf = ByteBuffer.allocateDirect(len);
        streamBytes += len;
      }
      st = new Stream(s, from, len, buf);
      c.stream = st;
    } finally {
      lock.unlockExclusive();
    }
    try {
      rdr.workers.execute(() -> fillStream(c, st));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      dropStream(c);
    }
  }

  /** The worker's part: reads the stream's range, holding paging I/O, unless it was dropped. */
  private void fillStream(FcbCache c, Stream st) {
    c.io.lockExclusive();
    try {
      SrvOpen s = st.srvOpen;
      lock.lockExclusive();
      try {
        if (c.stream != st || c.released) {
          return;
        }
      } finally {
        lock.unlockExclusive();
      }
      if (!readsCached(s) || s.hasFlag(SrvOpen.FLAG_CLOSED) || s.condition() != Condition.GOOD) {
        return;
      }
      RxContext sctx = RxContext.of(s.vNetRoot.identity());
      ByteBuffer into = st.buf.clear().limit(st.length);
      int n;
      try {
        n = rdr.await(sctx, s.miniRdr().read(sctx, s, st.offset, into));
      } catch (RuntimeException e) {
        n = -1; // the caller reads the range itself and sees the failure
      }
      lock.lockExclusive();
      try {
        st.n = n;
        if (n > 0) {
          readAheadBytes += n;
        }
      } finally {
        lock.unlockExclusive();
      }
    } finally {
      c.io.unlockExclusive();
    }
  }

  /** Drops the FCB's stream (a write, purge or release): its data is never served. */
  private void dropStream(FcbCache c) {
    lock.lockExclusive();
    try {
      dropStreamLocked(c);
    } finally {
      lock.unlockExclusive();
    }
  }

  private void dropStreamLocked(FcbCache c) {
    Stream st = c.stream;
    c.stream = null;
    if (st != null) {
      recycleLocked(c, st.buf);
    }
    if (c.released && c.spareStreamBuffer != null) {
      streamBytes -= c.spareStreamBuffer.capacity();
      c.spareStreamBuffer = null;
    }
  }

  /** Whether no page of {@code first..last} is cached and nothing of the file is dirty. */
  private boolean nothingCached(FcbCache c, long first, long last) {
    lock.lockExclusive();
    try {
      if (c.dirtyBytes != 0) {
        return false;
      }
      for (long i = first; i <= last; i++) {
        if (c.pages.containsKey(i)) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlockExclusive();
    }
  }

  /**
   * A large read of what is not cached: straight from the server into the caller's buffer, with
   * every request of the transfer in flight at once, then the whole pages it covered are kept (a
   * copy from the caller's buffer), so a second read is served from the cache as if the pages had
   * been fetched; not for a file larger than the cache budget. Nothing is dirty (checked), so the
   * server's data is the file's. Paging I/O held.
   */
  private int readThrough(
      RxContext ctx, SrvOpen s, FcbCache c, long offset, ByteBuffer dst, int want) {
    int start = dst.position();
    ByteBuffer into = dst.duplicate();
    into.limit(start + want);
    int n = rdr.await(ctx, s.miniRdr().read(ctx, s, offset, into));
    if (n <= 0) {
      return n;
    }
    dst.position(start + n);
    long end = offset + n;
    lock.lockExclusive();
    try {
      c.nextSequential = end;
      if (c.serverSize > budget) {
        // a file larger than the whole cache is a scan: its pages would only push out others
        // before anyone reads them again (and read-ahead through pages is slower than asking)
        return n;
      }
      boolean toEof = end >= c.serverSize;
      long firstWhole = (offset + PAGE_SIZE - 1) / PAGE_SIZE;
      long lastPage = toEof ? (end - 1) / PAGE_SIZE : end / PAGE_SIZE - 1;
      for (long i = firstWhole; i <= lastPage && !c.released; i++) {
        if (c.pages.containsKey(i)) {
          continue;
        }
        Page p = new Page(c, i);
        int from = (int) (i * PAGE_SIZE - offset);
        dst.get(start + from, p.data, 0, (int) Math.min(PAGE_SIZE, n - from));
        insertLocked(p);
        misses++;
      }
      evictCleanLocked();
    } finally {
      lock.unlockExclusive();
    }
    return n;
  }

  /**
   * Plans a background read-ahead when a sequential reader has consumed half of what was read
   * ahead: the next window (doubled, up to {@value #MAX_WINDOW_PAGES} pages) past the last page
   * read ahead. Page table held. Returns {from, to} in {@code plan}, to 0 when nothing is due.
   */
  private void planPrefetchLocked(FcbCache c, boolean sequential, long currentPage, long[] plan) {
    if (!sequential || c.prefetching || c.aheadEnd < 0 || c.released || c.fileSize <= 0) {
      return;
    }
    long lastPage = (c.fileSize - 1) / PAGE_SIZE;
    if (c.aheadEnd >= lastPage || currentPage < c.aheadEnd - c.window / 2) {
      return;
    }
    c.window = Math.min(c.window * 2, MAX_WINDOW_PAGES);
    long from = c.aheadEnd + 1;
    long to = Math.min(lastPage, c.aheadEnd + c.window);
    c.aheadEnd = to;
    c.prefetching = true;
    plan[0] = from;
    plan[1] = to;
  }

  private void schedulePrefetch(SrvOpen s, FcbCache c, long from, long to) {
    try {
      rdr.workers.execute(() -> prefetch(s, c, from, to));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      lock.lockExclusive();
      try {
        c.prefetching = false;
      } finally {
        lock.unlockExclusive();
      }
    }
  }

  /** The background read-ahead of pages {@code from..to} (those not cached yet). */
  private void prefetch(SrvOpen s, FcbCache c, long from, long to) {
    try {
      c.io.lockExclusive();
      try {
        if (readsCached(s)
            && !c.released
            && !s.hasFlag(SrvOpen.FLAG_CLOSED)
            && s.condition() == Condition.GOOD) {
          RxContext pctx = RxContext.of(s.vNetRoot.identity());
          long i = from;
          while (i <= to) {
            long j = i;
            lock.lockExclusive();
            try {
              if (c.released) {
                return;
              }
              while (i <= to && c.pages.containsKey(i)) {
                i++;
              }
              j = i;
              while (j <= to && !c.pages.containsKey(j) && j - i < MAX_RUN_PAGES) {
                j++;
              }
            } finally {
              lock.unlockExclusive();
            }
            if (j > i) {
              fetch(pctx, s, c, i, j - 1, -1);
            }
            i = j;
          }
        }
      } finally {
        c.io.unlockExclusive();
      }
    } catch (RuntimeException e) {
      LOG.debug("read-ahead of {} failed: {}", c.fcb, e.getMessage());
    } finally {
      lock.lockExclusive();
      try {
        c.prefetching = false;
      } finally {
        lock.unlockExclusive();
      }
    }
    enforceBudget();
  }

  private Page lookup(FcbCache c, long index) {
    lock.lockExclusive();
    try {
      return c.pages.get(index);
    } finally {
      lock.unlockExclusive();
    }
  }

  /** The fast path: copies when every page of the request is cached and the size is known. */
  private Integer copyIfCached(FcbCache c, long offset, ByteBuffer dst, long[] plan) {
    lock.lockExclusive();
    try {
      if (c.fileSize < 0 || c.released) {
        return null;
      }
      if (offset >= c.fileSize) {
        return -1;
      }
      int want = (int) Math.min(dst.remaining(), c.fileSize - offset);
      long first = offset / PAGE_SIZE;
      long last = (offset + want - 1) / PAGE_SIZE;
      for (long i = first; i <= last; i++) {
        Page p = c.pages.get(i);
        if (p == null || !p.full) {
          return null;
        }
      }
      int copied = 0;
      for (long i = first; i <= last; i++) {
        Page p = c.pages.get(i);
        long ps = i * PAGE_SIZE;
        int from = (int) Math.max(0, offset + copied - ps);
        int n = (int) Math.min(PAGE_SIZE - from, want - copied);
        dst.put(p.data, from, n);
        copied += n;
        lru.get(p);
        hits++;
      }
      boolean sequential = offset == c.nextSequential;
      c.nextSequential = offset + copied;
      planPrefetchLocked(c, sequential, last, plan);
      return copied;
    } finally {
      lock.unlockExclusive();
    }
  }

  /** Learns the file's size from the FCB's information or the server. Paging I/O held. */
  private void ensureSizes(RxContext ctx, SrvOpen s, FcbCache c) {
    lock.lockExclusive();
    try {
      if (c.serverSize >= 0) {
        return;
      }
    } finally {
      lock.unlockExclusive();
    }
    boolean trust;
    lock.lockExclusive();
    try {
      trust = c.trustInfo;
    } finally {
      lock.unlockExclusive();
    }
    FileInfo info = trust ? s.fcb.info : null;
    if (info == null) {
      info = rdr.await(ctx, s.miniRdr().queryInformation(ctx, s));
      s.fcb.info = info;
    }
    lock.lockExclusive();
    try {
      c.serverSize = info.size();
      c.fileSize = Math.max(c.fileSize, info.size());
    } finally {
      lock.unlockExclusive();
    }
  }

  /**
   * Makes pages {@code first..last} present, fetching the missing ones (and those up to {@code
   * aheadTo}, the read-ahead) in runs of consecutive missing pages. Paging I/O held. Returns the
   * pages {@code first..last}.
   */
  private Page[] fill(RxContext ctx, SrvOpen s, FcbCache c, long first, long last, long aheadTo) {
    Page[] need = new Page[(int) (last - first + 1)];
    long i = first;
    while (i <= aheadTo) {
      Page present;
      lock.lockExclusive();
      try {
        present = c.pages.get(i);
        if (present != null) {
          lru.get(present);
          if (i <= last) {
            hits++;
          }
        }
      } finally {
        lock.unlockExclusive();
      }
      if (present != null) {
        if (!present.full) {
          completePage(ctx, s, c, present);
        }
        if (i <= last) {
          need[(int) (i - first)] = present;
        }
        i++;
        continue;
      }
      if (i > last) {
        // read ahead only up to the next page already cached
        long j = i;
        lock.lockExclusive();
        try {
          while (j <= aheadTo && !c.pages.containsKey(j) && j - i < MAX_RUN_PAGES) {
            j++;
          }
        } finally {
          lock.unlockExclusive();
        }
        fetch(ctx, s, c, i, j - 1, last);
        i = j;
        continue;
      }
      long j = i;
      lock.lockExclusive();
      try {
        while (j <= aheadTo && !c.pages.containsKey(j) && j - i < MAX_RUN_PAGES) {
          j++;
        }
      } finally {
        lock.unlockExclusive();
      }
      List<Page> got = fetch(ctx, s, c, i, j - 1, last);
      for (Page p : got) {
        if (p.index <= last) {
          need[(int) (p.index - first)] = p;
        }
      }
      i = j;
    }
    return need;
  }

  /** Reads pages {@code from..to} from the server and inserts them. Paging I/O held. */
  private List<Page> fetch(RxContext ctx, SrvOpen s, FcbCache c, long from, long to, long last) {
    long start = from * PAGE_SIZE;
    long end = (to + 1) * PAGE_SIZE;
    long serverEnd;
    lock.lockExclusive();
    try {
      serverEnd = Math.min(end, c.serverSize);
    } finally {
      lock.unlockExclusive();
    }
    byte[] buf = new byte[(int) (end - start)];
    if (serverEnd > start) {
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) (serverEnd - start));
      while (bb.hasRemaining()) {
        int n = rdr.await(ctx, s.miniRdr().read(ctx, s, start + bb.position(), bb));
        if (n <= 0) {
          break;
        }
      }
    }
    List<Page> out = new ArrayList<>();
    lock.lockExclusive();
    try {
      for (long i = from; i <= to; i++) {
        Page p = new Page(c, i);
        System.arraycopy(buf, (int) ((i - from) * PAGE_SIZE), p.data, 0, PAGE_SIZE);
        Page old = c.pages.get(i);
        if (old != null) {
          out.add(old);
          continue;
        }
        if (c.released) {
          out.add(p); // the FCB is gone: the page is returned, not kept
          continue;
        }
        insertLocked(p);
        if (i <= last) {
          misses++;
        } else {
          readAheadBytes += PAGE_SIZE;
        }
        out.add(p);
      }
      evictCleanLocked();
    } finally {
      lock.unlockExclusive();
    }
    return out;
  }

  /**
   * Completes a page that knows only its dirty range: reads its bytes from the server through a
   * handle that may read and keeps the dirty range over them. Paging I/O held.
   */
  private void completePage(RxContext ctx, SrvOpen s, FcbCache c, Page p) {
    long ps = p.index * PAGE_SIZE;
    long serverEnd;
    lock.lockExclusive();
    try {
      serverEnd = Math.min(ps + PAGE_SIZE, c.serverSize);
    } finally {
      lock.unlockExclusive();
    }
    byte[] buf = new byte[PAGE_SIZE];
    if (serverEnd > ps) {
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) (serverEnd - ps));
      while (bb.hasRemaining()) {
        int n = rdr.await(ctx, s.miniRdr().read(ctx, s, ps + bb.position(), bb));
        if (n <= 0) {
          break;
        }
      }
    }
    lock.lockExclusive();
    try {
      System.arraycopy(buf, 0, p.data, 0, p.dFrom);
      System.arraycopy(buf, p.dTo, p.data, p.dTo, PAGE_SIZE - p.dTo);
      p.full = true;
      misses++;
    } finally {
      lock.unlockExclusive();
    }
  }

  private void insertLocked(Page p) {
    p.file.pages.put(p.index, p);
    p.mapped = true;
    lru.put(p, p);
    cachedBytes += PAGE_SIZE;
  }

  private void removeLocked(Page p) {
    if (!p.mapped) {
      return;
    }
    p.mapped = false;
    p.file.pages.remove(p.index, p);
    lru.remove(p);
    cachedBytes -= PAGE_SIZE;
    if (p.dirty()) {
      setClean(p);
    }
  }

  private void setClean(Page p) {
    int d = p.dTo - p.dFrom;
    dirtyBytes -= d;
    p.file.dirtyBytes -= d;
    p.dFrom = 0;
    p.dTo = 0;
    p.writer = null;
    if (p.file.dirtyBytes == 0) {
      dirtyFiles.remove(p.file);
    }
  }

  /** Evicts clean pages, least recently used first, while over the budget. Page table held. */
  private void evictCleanLocked() {
    if (cachedBytes <= budget) {
      return;
    }
    Iterator<Page> it = lru.keySet().iterator();
    while (cachedBytes > budget && it.hasNext()) {
      Page p = it.next();
      if (p.dirty()) {
        continue;
      }
      it.remove();
      p.mapped = false;
      p.file.pages.remove(p.index, p);
      cachedBytes -= PAGE_SIZE;
      evictions++;
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * A write held back in the cache, or {@code null} when the handle may not hold writes back (the
   * caller writes through).
   */
  Integer write(RxContext ctx, SrvOpen s, long offset, ByteBuffer src) {
    if (!writesCached(s)) {
      return null;
    }
    FcbCache c = cacheOf(s.fcb);
    c.io.lockExclusive();
    try {
      if (!writesCached(s)) {
        return null;
      }
      dropStream(c);
      if (src.remaining() >= DIRECT_WRITE_BYTES) {
        return writeThrough(ctx, s, c, offset, src);
      }
      ensureSizes(ctx, s, c);
      int n = src.remaining();
      long end = offset + n;
      for (long i = offset / PAGE_SIZE; n > 0 && i <= (end - 1) / PAGE_SIZE; i++) {
        long ps = i * PAGE_SIZE;
        int from = (int) (Math.max(offset, ps) - ps);
        int to = (int) (Math.min(end, ps + PAGE_SIZE) - ps);
        boolean readable = FileAccess.reads(s.desiredAccess());
        Page p = lookup(c, i);
        if (p != null && !p.full) {
          if (readable) {
            completePage(ctx, s, c, p);
          } else if (to < p.dFrom || from > p.dTo) {
            // a second, separate range in a page known only by its dirty range: the first goes
            // to the server, the page is dropped and started again
            writeBack(ctx, c);
            p = lookup(c, i);
          }
        }
        if (p == null) {
          long serverSize;
          lock.lockExclusive();
          try {
            serverSize = c.serverSize; // a write-back above may have moved it
          } finally {
            lock.unlockExclusive();
          }
          long onServer = Math.max(0, Math.min(PAGE_SIZE, serverSize - ps));
          boolean covers = onServer == 0 || (from == 0 && to >= onServer);
          if (covers) {
            p = new Page(c, i);
          } else if (readable) {
            p = fetch(ctx, s, c, i, i, i).get(0);
          } else {
            p = new Page(c, i);
            p.full = false;
          }
        }
        lock.lockExclusive();
        try {
          if (!p.mapped) {
            Page other = c.pages.get(i);
            if (other != null) {
              p = other;
            } else {
              insertLocked(p);
            }
          }
          src.get(p.data, from, to - from);
          int oldDirty = p.dTo - p.dFrom;
          if (p.dirty()) {
            p.dFrom = Math.min(p.dFrom, from);
            p.dTo = Math.max(p.dTo, to);
          } else {
            p.dFrom = from;
            p.dTo = to;
          }
          int delta = (p.dTo - p.dFrom) - oldDirty;
          dirtyBytes += delta;
          c.dirtyBytes += delta;
          p.writer = s;
          if (dirtyFiles.add(c)) {
            c.dirtySince = System.nanoTime();
          }
          lru.get(p);
          c.fileSize = Math.max(c.fileSize, ps + to);
        } finally {
          lock.unlockExclusive();
        }
      }
      boolean throttle;
      lock.lockExclusive();
      try {
        evictCleanLocked();
        throttle = dirtyBytes > budget / 2;
      } finally {
        lock.unlockExclusive();
      }
      if (throttle) {
        // too much held back: this file's writer pays for its own write-back
        writeBack(ctx, c);
      }
      return n;
    } finally {
      c.io.unlockExclusive();
    }
  }

  /**
   * A large write goes to the server at once, as non-cached I/O: held-back data is written first
   * (so the server sees the writes in their order), the cached pages it overlaps are dropped, the
   * sizes move. Holding it back would only copy it into pages to be written moments later, with the
   * budget forcing the write-back on the caller's thread anyway. Paging I/O held.
   */
  private int writeThrough(RxContext ctx, SrvOpen s, FcbCache c, long offset, ByteBuffer src) {
    writeBack(ctx, c);
    ByteBuffer w = src.duplicate();
    int n = rdr.await(ctx, s.miniRdr().write(ctx, s, offset, w));
    src.position(src.position() + n);
    long end = offset + n;
    lock.lockExclusive();
    try {
      for (long i = offset / PAGE_SIZE; n > 0 && i <= (end - 1) / PAGE_SIZE; i++) {
        Page p = c.pages.get(i);
        if (p != null) {
          removeLocked(p);
        }
      }
      if (c.serverSize >= 0) {
        c.serverSize = Math.max(c.serverSize, end);
      }
      if (c.fileSize >= 0) {
        c.fileSize = Math.max(c.fileSize, end);
      }
    } finally {
      lock.unlockExclusive();
    }
    return n;
  }

  /**
   * MRxCompleteWrites: the writes {@code s}'s mini-redirector completed ahead of the server are
   * answered, or the failure thrown; in the open's own identity when {@code ctx} is null.
   */
  void confirmWrites(RxContext ctx, SrvOpen s) {
    RxContext sctx = ctx != null ? ctx : RxContext.of(s.vNetRoot.identity());
    rdr.await(sctx, s.miniRdr().completeWrites(sctx, s));
  }

  /**
   * What was written to the file is on the server: its cached data flushed (which confirms every
   * open's early-completed writes), or without a cache the opens {@code which} picks confirmed; the
   * first failure thrown.
   */
  void flushOrConfirm(RxContext ctx, Fcb fcb, java.util.function.Predicate<SrvOpen> which) {
    if (fcb.cache != null) {
      flush(ctx, fcb);
      return;
    }
    for (SrvOpen s : fcb.srvOpens()) {
      if (which.test(s)) {
        confirmWrites(ctx, s);
      }
    }
  }

  /**
   * Writes the dirty pages, then has every open of the file confirm the writes its mini-redirector
   * completed ahead of the server ({@link MiniRedirector#completeWrites}): afterwards everything
   * written is on the server, or the first failure is thrown (after every open was asked).
   */
  private void writeBackAndConfirm(RxContext ctx, FcbCache c) {
    writeBack(ctx, c);
    RxException first = null;
    for (SrvOpen s : c.fcb.srvOpens()) {
      if (s.hasFlag(SrvOpen.FLAG_CLOSED)) {
        continue;
      }
      try {
        confirmWrites(ctx, s);
      } catch (RuntimeException e) {
        if (first == null) {
          first = RxException.of(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Writes an FCB's dirty pages to the server, consecutive pages of one writer in one request.
   * Paging I/O held. Throws the first failure; pages not written stay dirty.
   */
  private void writeBack(RxContext ctx, FcbCache c) {
    while (true) {
      List<Page> run = new ArrayList<>();
      lock.lockExclusive();
      try {
        if (c.dirtyBytes == 0) {
          return;
        }
        Page prev = null;
        for (Page p : c.pages.values()) {
          if (!p.dirty()) {
            if (!run.isEmpty()) {
              break;
            }
            continue;
          }
          if (prev != null
              && (prev.index + 1 != p.index
                  || prev.dTo != PAGE_SIZE
                  || p.dFrom != 0
                  || prev.writer != p.writer
                  || run.size() >= MAX_RUN_PAGES)) {
            break;
          }
          run.add(p);
          prev = p;
        }
      } finally {
        lock.unlockExclusive();
      }
      if (run.isEmpty()) {
        return;
      }
      Page head = run.get(0);
      long pos = head.index * PAGE_SIZE + head.dFrom;
      ByteBuffer buf;
      lock.lockExclusive();
      try {
        int len = 0;
        for (Page p : run) {
          len += p.dTo - p.dFrom;
        }
        buf = ByteBuffer.allocate(len);
        for (Page p : run) {
          buf.put(p.data, p.dFrom, p.dTo - p.dFrom);
        }
        buf.flip();
      } finally {
        lock.unlockExclusive();
      }
      SrvOpen w = writerFor(c, head.writer);
      RxContext wctx = ctx != null ? ctx : RxContext.of(w.vNetRoot.identity());
      int len = buf.remaining();
      try {
        while (buf.hasRemaining()) {
          int n = rdr.await(wctx, w.miniRdr().write(wctx, w, pos + buf.position(), buf));
          if (n <= 0 && buf.hasRemaining()) {
            throw new RxException(NtStatus.UNSUCCESSFUL, "short write-back");
          }
        }
      } catch (RuntimeException e) {
        lock.lockExclusive();
        try {
          writeBackFailures++;
        } finally {
          lock.unlockExclusive();
        }
        RxException rx = RxException.of(e);
        throw new RxException(
            rx.status(),
            "writing the cached data of " + c.fcb.path() + " failed: " + rx.getMessage());
      }
      lock.lockExclusive();
      try {
        for (Page p : run) {
          if (p.dirty()) {
            setClean(p);
          }
          if (!p.full) {
            removeLocked(p);
          }
        }
        c.serverSize = Math.max(c.serverSize, pos + len);
      } finally {
        lock.unlockExclusive();
      }
    }
  }

  /** The handle to write a page through: its writer while usable, else another writable one. */
  private static SrvOpen writerFor(FcbCache c, SrvOpen writer) {
    if (writer != null && usable(writer)) {
      return writer;
    }
    for (SrvOpen o : c.fcb.srvOpens()) {
      if (usable(o)) {
        return o;
      }
    }
    throw new RxException(
        NtStatus.FILE_CLOSED, "no open handle is left to write the cached data of " + c.fcb.path());
  }

  private static boolean usable(SrvOpen s) {
    return !s.hasFlag(SrvOpen.FLAG_CLOSED)
        && s.condition() == Condition.GOOD
        && FileAccess.writes(s.desiredAccess());
  }

  // ---- flush, purge, coherence -----------------------------------------------------------------

  /**
   * Writes an FCB's dirty pages (a flush, a close, a finalization); throws the failure, or a
   * remembered failure of an earlier write-back (break, eviction) no caller was told about.
   */
  void flush(RxContext ctx, Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return;
    }
    c.io.lockExclusive();
    try {
      writeBackAndConfirm(ctx, c);
      RxException pending;
      lock.lockExclusive();
      try {
        pending = c.pendingError;
        c.pendingError = null;
      } finally {
        lock.unlockExclusive();
      }
      if (pending != null) {
        throw pending;
      }
    } finally {
      c.io.unlockExclusive();
    }
  }

  /**
   * Remembers a failure no caller was told about (a write completed ahead of the server, confirmed
   * by a break of a file without cached data) for the file's next flush or close.
   */
  void remember(Fcb fcb, RxException failure) {
    FcbCache c = cacheOf(fcb);
    lock.lockExclusive();
    try {
      if (c.pendingError == null) {
        c.pendingError = failure;
      }
    } finally {
      lock.unlockExclusive();
    }
  }

  /**
   * Writes the dirty pages for a break or an eviction: returns the failure (also remembered for the
   * next flush or close of the file), or {@code null}.
   */
  RxException writeBackAndRemember(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return null;
    }
    c.io.lockExclusive();
    try {
      writeBackAndConfirm(null, c);
      return null;
    } catch (RuntimeException e) {
      RxException rx = RxException.of(e);
      lock.lockExclusive();
      try {
        if (c.pendingError == null) {
          c.pendingError = rx;
        }
      } finally {
        lock.unlockExclusive();
      }
      return rx;
    } finally {
      c.io.unlockExclusive();
    }
  }

  /** Drops the FCB's clean pages (READ lost); forgets the size when nothing is dirty. */
  void purge(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return;
    }
    c.io.lockExclusive();
    try {
      purgeClean(c);
    } finally {
      c.io.unlockExclusive();
    }
  }

  private void purgeClean(FcbCache c) {
    dropPages(c, false);
  }

  /** Drops every page, dirty ones too (their data is lost: the caller reports it). */
  void discard(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return;
    }
    c.io.lockExclusive();
    try {
      discardLocked(c);
    } finally {
      c.io.unlockExclusive();
    }
  }

  private void discardLocked(FcbCache c) {
    dropPages(c, true);
  }

  /**
   * Drops the clean pages, or every page with {@code dirtyToo}; then, with nothing dirty left, the
   * sizes; and always the sequential state and any range read ahead (the file's content may have
   * changed under them). Paging I/O held.
   */
  private void dropPages(FcbCache c, boolean dirtyToo) {
    lock.lockExclusive();
    try {
      for (Page p : new ArrayList<>(c.pages.values())) {
        if (dirtyToo || !p.dirty()) {
          removeLocked(p);
        }
      }
      if (c.dirtyBytes == 0) {
        c.serverSize = -1;
        c.fileSize = -1;
        c.trustInfo = false;
      }
      c.nextSequential = 0;
      c.window = 1;
      c.aheadEnd = -1;
      dropStreamLocked(c);
    } finally {
      lock.unlockExclusive();
    }
  }

  /**
   * Runs a request that goes to the mini-redirector around the cache (no grant, or a set
   * information): first the FCB's dirty pages are written so the server sees them in order, then
   * the request; afterwards the clean pages are dropped if {@code invalidates}.
   */
  <T> T around(RxContext ctx, Fcb fcb, boolean invalidates, java.util.function.Supplier<T> call) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return call.get();
    }
    c.io.lockExclusive();
    try {
      writeBackAndConfirm(ctx, c);
      try {
        return call.get();
      } finally {
        if (invalidates) {
          purgeClean(c);
        }
      }
    } finally {
      c.io.unlockExclusive();
    }
  }

  /** Turns caching off for the FCB for good: dirty pages written, clean ones dropped. */
  void disable(RxContext ctx, Fcb fcb) {
    FcbCache c = cacheOf(fcb);
    c.io.lockExclusive();
    try {
      lock.lockExclusive();
      try {
        c.disabled = true;
      } finally {
        lock.unlockExclusive();
      }
      writeBackAndConfirm(ctx, c);
      purgeClean(c);
    } finally {
      c.io.unlockExclusive();
    }
  }

  /**
   * A new SRV_OPEN of the FCB was created on the server: its information is the server's truth.
   * Without dirty pages, a changed size (another writer, an overwrite) drops the clean pages.
   */
  void opened(Fcb fcb, CreateResult result) {
    FcbCache c = fcb.cache;
    if (c == null || result.info() == null) {
      return;
    }
    c.io.lockExclusive();
    try {
      boolean overwritten = result.action() != CreateResult.Action.OPENED;
      lock.lockExclusive();
      try {
        if (c.dirtyBytes > 0 && !overwritten) {
          return;
        }
      } finally {
        lock.unlockExclusive();
      }
      if (overwritten) {
        discardLocked(c);
      } else if (c.serverSize != result.info().size()) {
        purgeClean(c);
      }
      lock.lockExclusive();
      try {
        c.serverSize = result.info().size();
        c.fileSize = result.info().size();
      } finally {
        lock.unlockExclusive();
      }
    } finally {
      c.io.unlockExclusive();
    }
  }

  /** The FCB's information with the size callers see (dirty pages past the server's end). */
  FileInfo adjust(Fcb fcb, FileInfo info) {
    FcbCache c = fcb.cache;
    if (c == null || info == null) {
      return info;
    }
    lock.lockExclusive();
    try {
      if (c.dirtyBytes == 0 || c.fileSize < 0 || c.fileSize == info.size()) {
        return info;
      }
      return withSize(info, c.fileSize);
    } finally {
      lock.unlockExclusive();
    }
  }

  /** A directory listing with the sizes of this redirector's files that have dirty pages. */
  List<FileInfo> adjustListing(NetRoot n, String dir, List<FileInfo> entries) {
    Map<String, Long> sizes = new java.util.HashMap<>();
    lock.lockExclusive();
    try {
      if (dirtyFiles.isEmpty()) {
        return entries;
      }
      for (FcbCache c : dirtyFiles) {
        if (c.fcb.netRoot != n || c.fileSize < 0) {
          continue;
        }
        String p = c.fcb.path();
        int slash = p.lastIndexOf('\\');
        String parent = slash < 0 ? "" : p.substring(0, slash);
        if (parent.equalsIgnoreCase(dir)) {
          sizes.put(p.substring(slash + 1).toLowerCase(java.util.Locale.ROOT), c.fileSize);
        }
      }
    } finally {
      lock.unlockExclusive();
    }
    if (sizes.isEmpty()) {
      return entries;
    }
    List<FileInfo> out = new ArrayList<>(entries.size());
    for (FileInfo e : entries) {
      Long s = e.name() == null ? null : sizes.get(e.name().toLowerCase(java.util.Locale.ROOT));
      out.add(s != null && s > e.size() ? withSize(e, s) : e);
    }
    return out;
  }

  private static FileInfo withSize(FileInfo i, long size) {
    return new FileInfo(
        i.name(),
        i.directory(),
        size,
        Math.max(i.allocationSize(), size),
        i.creationTime(),
        i.lastAccessTime(),
        i.lastWriteTime(),
        i.changeTime(),
        i.attributes(),
        i.fileId());
  }

  /**
   * The FCB is being freed (FCB table and resource held): its pages go. Dirty pages cannot be left
   * at this point (every close writes them); any that are left are logged as lost.
   */
  void release(Fcb fcb) {
    FcbCache c = fcb.cache;
    if (c == null) {
      return;
    }
    lock.lockExclusive();
    try {
      if (c.dirtyBytes > 0) {
        LOG.warn("{} dirty bytes of {} dropped with its FCB", c.dirtyBytes, fcb);
      }
      for (Page p : new ArrayList<>(c.pages.values())) {
        removeLocked(p);
      }
      c.released = true;
      dropStreamLocked(c);
      dirtyFiles.remove(c);
    } finally {
      lock.unlockExclusive();
    }
  }

  /**
   * Keeps the cache within its budget: evicts the least recently used pages, writing dirty ones
   * first. Called with no core lock held. A victim whose write-back fails has its pages dropped and
   * the failure remembered for the file's next flush or close.
   */
  void enforceBudget() {
    if (cachedBytes <= budget || LockOrder.holdsAny()) {
      return;
    }
    for (int round = 0; round < 1000; round++) {
      FcbCache victim = null;
      lock.lockExclusive();
      try {
        evictCleanLocked();
        if (cachedBytes <= budget) {
          return;
        }
        for (Page p : lru.keySet()) {
          if (p.dirty()) {
            victim = p.file;
            break;
          }
        }
      } finally {
        lock.unlockExclusive();
      }
      if (victim == null) {
        return;
      }
      RxException failed = writeBackAndRemember(victim.fcb);
      if (failed != null) {
        LOG.warn("evicting {}: {}", victim.fcb, failed.getMessage());
        discard(victim.fcb);
      }
    }
  }
}
