package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data cache over the recording mini-redirector: what is served from cache and held back under
 * each grant, what a break, flush, close, finalization and eviction write, and that failures reach
 * the caller.
 */
class DataCacheTest {
  private static final int PAGE = DataCache.PAGE_SIZE;
  private static final Set<Buffering> RWH =
      Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
  private static final Set<Buffering> RH = Set.of(Buffering.READ, Buffering.HANDLE);

  private CoreFixture fx = new CoreFixture();

  @AfterEach
  void leakCheck() {
    fx.close();
    assertThat(fx.m.ioUnderTableLock.get())
        .as("mini-redirector reads, writes and flushes under a table lock")
        .isZero();
  }

  private static byte[] random(int n, long seed) {
    return CoreFixture.random(n, seed);
  }

  private void put(String name, byte[] data) {
    fx.put(name, data);
  }

  private byte[] server(String name) {
    return fx.server(name);
  }

  private static byte[] readAll(FileObject f, int chunk) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long off = 0;
    while (true) {
      ByteBuffer b = ByteBuffer.allocate(chunk);
      int n = f.read(off, b);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(b.array(), 0, n);
      off += n;
    }
  }

  private static void write(FileObject f, long off, byte[] data) {
    assertThat(f.write(off, ByteBuffer.wrap(data))).isEqualTo(data.length);
  }

  private DataCache.Stats stats() {
    return fx.rdr.dataCache().stats();
  }

  @Test
  void aLargeReadOfUncachedPagesIsOneRequestAndLeavesThePagesCached() {
    int size = DataCache.DIRECT_READ_BYTES + 3 * PAGE + 77;
    byte[] data = random(size, 70);
    put("large", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "large")) {
      ByteBuffer b = ByteBuffer.allocate(size + 10);
      assertThat(f.read(0, b)).isEqualTo(size);
      assertThat(fx.m.readSizes).as("one request for all of it").containsExactly(size);
      assertThat(java.util.Arrays.copyOf(b.array(), size)).isEqualTo(data);
      // every page, the partial last one too, is cached: reading again sends nothing
      ByteBuffer again = ByteBuffer.allocate(size);
      assertThat(f.read(0, again)).isEqualTo(size);
      assertThat(again.array()).isEqualTo(data);
      assertThat(readAll(f, 4096)).isEqualTo(data);
      assertThat(fx.m.count("MRxRead")).isEqualTo(1);
    }
  }

  @Test
  void aLargeReadOfAFileLargerThanTheBudgetKeepsNothing() {
    smallBudget();
    int size = DataCache.DIRECT_READ_BYTES;
    byte[] data = random(size, 71);
    put("scan", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "scan")) {
      for (int pass = 0; pass < 2; pass++) {
        ByteBuffer b = ByteBuffer.allocate(size);
        assertThat(f.read(0, b)).isEqualTo(size);
        assertThat(b.array()).isEqualTo(data);
      }
      assertThat(fx.m.readSizes).as("a scan each time").containsExactly(size, size);
      // smaller reads of it from the scan size on go to the server too, and keep nothing
      ByteBuffer mid = ByteBuffer.allocate(DataCache.SCAN_READ_BYTES);
      assertThat(f.read(PAGE, mid)).isEqualTo(DataCache.SCAN_READ_BYTES);
      assertThat(java.util.Arrays.copyOfRange(data, PAGE, PAGE + DataCache.SCAN_READ_BYTES))
          .isEqualTo(mid.array());
      assertThat(fx.m.readSizes).containsExactly(size, size, DataCache.SCAN_READ_BYTES);
      assertThat(stats().cachedBytes()).isZero();
    }
  }

  /** A cache of 8 pages, so that a 1 MiB file is a scan and a stream may hold 256 KiB. */
  private void smallBudget() {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dataCacheBudget(8L * PAGE));
  }

  /** A 4 x 256 KiB file (a scan for the small budget) under {@code grant}, opened. */
  private FileObject scanFile(byte[] data, Set<Buffering> grant) {
    smallBudget();
    put("stream", data);
    fx.m.grant = grant;
    return fx.open(CoreFixture.ALICE, "stream");
  }

  /**
   * {@link #scanFile}, its first range of {@link DataCache#SCAN_READ_BYTES} read and the next read
   * ahead.
   */
  private FileObject scanWithRangeAhead(byte[] data, Set<Buffering> grant)
      throws InterruptedException {
    int call = DataCache.SCAN_READ_BYTES;
    FileObject f = scanFile(data, grant);
    assertThat(f.read(0, ByteBuffer.allocate(call))).isEqualTo(call);
    awaitReadAhead(call);
    return f;
  }

  private void awaitReadAhead(long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stats().readAheadBytes() < bytes && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(stats().readAheadBytes()).isEqualTo(bytes);
  }

  @Test
  void aSequentialScanHasItsNextRangeReadAheadWhileTheCallerWorks() throws Exception {
    int call = DataCache.SCAN_READ_BYTES;
    byte[] data = random(4 * call, 73);
    try (FileObject f = scanFile(data, RH)) {
      for (int i = 0; i < 4; i++) {
        ByteBuffer b = ByteBuffer.allocate(call);
        assertThat(f.read((long) i * call, b)).isEqualTo(call);
        assertThat(b.array()).isEqualTo(Arrays.copyOfRange(data, i * call, (i + 1) * call));
        // the next range (none after the last) is read on a worker before the next call
        awaitReadAhead((long) Math.min(i + 1, 3) * call);
      }
      assertThat(fx.m.readSizes).as("each range read once").containsExactly(call, call, call, call);
      assertThat(stats().cachedBytes()).as("a scan keeps no pages").isZero();
    }
  }

  @Test
  void aReadLargerThanTheRangeReadAheadGetsAllItsBytes() throws Exception {
    int call = DataCache.SCAN_READ_BYTES;
    byte[] data = random(4 * call, 79);
    try (FileObject f = scanWithRangeAhead(data, RH)) {
      ByteBuffer twice = ByteBuffer.allocate(2 * call);
      assertThat(f.read(call, twice)).as("not short in the middle of the file").isEqualTo(2 * call);
      assertThat(twice.array()).isEqualTo(Arrays.copyOfRange(data, call, 3 * call));
    }
  }

  @Test
  void aWriteDropsTheRangeReadAhead() throws Exception {
    int call = DataCache.SCAN_READ_BYTES;
    byte[] data = random(4 * call, 74);
    try (FileObject f = scanWithRangeAhead(data, RWH)) {
      byte[] patch = random(100, 75);
      write(f, call + 10, patch);
      ByteBuffer next = ByteBuffer.allocate(call);
      assertThat(f.read(call, next)).isEqualTo(call);
      assertThat(Arrays.copyOfRange(next.array(), 10, 110)).isEqualTo(patch);
      assertThat(Arrays.copyOfRange(next.array(), 110, call))
          .isEqualTo(Arrays.copyOfRange(data, call + 110, 2 * call));
    }
  }

  @Test
  void aReadElsewhereDropsTheRangeReadAheadAndReadsWhatWasAsked() throws Exception {
    int call = DataCache.SCAN_READ_BYTES;
    byte[] data = random(4 * call, 76);
    try (FileObject f = scanWithRangeAhead(data, RH)) {
      ByteBuffer far = ByteBuffer.allocate(call);
      assertThat(f.read(3L * call, far)).isEqualTo(call);
      assertThat(far.array()).isEqualTo(Arrays.copyOfRange(data, 3 * call, 4 * call));
      // the range read ahead (call..2*call) was dropped: reading it asks the server again
      ByteBuffer back = ByteBuffer.allocate(call);
      assertThat(f.read(call, back)).isEqualTo(call);
      assertThat(back.array()).isEqualTo(Arrays.copyOfRange(data, call, 2 * call));
      assertThat(fx.m.readSizes).containsExactly(call, call, call, call);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"HANDLE", "WRITE"})
  void closeHasTheWritesCompletedAheadOfTheServerConfirmedAndReportsTheirFailure(Buffering b) {
    // HANDLE alone: no cache at all; WRITE (with READ and HANDLE): the cache's flush asks
    fx.m.grant = b == Buffering.HANDLE ? Set.of(Buffering.HANDLE) : RWH;
    put("early", random(10, 77));
    FileObject f = fx.open(CoreFixture.ALICE, "early");
    write(f, 0, random(DataCache.DIRECT_WRITE_BYTES, 78));
    fx.m.completeWritesStatus = NtStatus.DISK_FULL;
    assertThatThrownBy(f::close)
        .isInstanceOfSatisfying(
            RxException.class, e -> assertThat(e.status()).isEqualTo(NtStatus.DISK_FULL));
    assertThat(fx.m.count("MRxCompleteWrites")).isPositive();
    fx.m.completeWritesStatus = NtStatus.SUCCESS;
  }

  @Test
  void aBreakOfWriteConfirmsEarlyCompletedWritesOfAFileWithoutCacheAndCloseReportsTheFailure()
      throws Exception {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder().scavengerTimeout(Duration.ofHours(1)).dataCacheBudget(0));
    put("nocache", random(10, 80));
    fx.m.grant = RWH;
    FileObject f = fx.open(CoreFixture.ALICE, "nocache");
    write(f, 0, random(100, 81)); // no cache: straight to the mini-redirector
    fx.m.completeWritesStatus = NtStatus.DISK_FULL;
    Future<Void> brk = f.srvOpen().indicateChangeOfBufferingState(RH);
    assertThatThrownBy(() -> brk.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RxException.class);
    assertThat(fx.m.count("MRxCompleteWrites")).isPositive();
    fx.m.completeWritesStatus = NtStatus.SUCCESS;
    // the failure no caller saw is the close's
    assertThatThrownBy(f::close)
        .isInstanceOfSatisfying(
            RxException.class, e -> assertThat(e.status()).isEqualTo(NtStatus.DISK_FULL));
  }

  @Test
  void aLargeWriteGoesToTheServerAtOnceAfterTheDataHeldBackAndDropsTheCachedPages() {
    byte[] data = random(4 * PAGE, 60);
    put("big", data);
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "big")) {
      assertThat(readAll(f, PAGE)).isEqualTo(data); // pages 0..3 cached
      byte[] small = random(100, 61);
      write(f, 10, small); // held back
      assertThat(fx.m.count("MRxWrite")).isZero();
      byte[] large = random(DataCache.DIRECT_WRITE_BYTES, 62);
      write(f, PAGE, large);
      assertThat(fx.m.log.stream().filter(l -> l.startsWith("MRxWrite")).toList())
          .as("the data held back first, then the large write in one request")
          .containsExactly(
              "MRxWrite big@10+100", "MRxWrite big@" + PAGE + "+" + DataCache.DIRECT_WRITE_BYTES);
      assertThat(stats().dirtyBytes()).isZero();
      byte[] expected = new byte[PAGE + large.length];
      System.arraycopy(data, 0, expected, 0, PAGE);
      System.arraycopy(small, 0, expected, 10, small.length);
      System.arraycopy(large, 0, expected, PAGE, large.length);
      assertThat(server("big")).isEqualTo(expected);
      // the cached pages 1..3 were dropped: what is read is the new data, and the size grew
      assertThat(readAll(f, PAGE)).isEqualTo(expected);
    }
  }

  @Test
  void readsAreServedFromTheCacheWhileReadIsGranted() {
    byte[] data = random(5 * PAGE + 123, 1);
    put("f", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      assertThat(readAll(f, 8192)).isEqualTo(data);
      int reads = fx.m.count("MRxRead");
      assertThat(reads).isPositive();
      assertThat(readAll(f, 8192)).isEqualTo(data);
      assertThat(readAll(f, 100_000)).isEqualTo(data);
      assertThat(fx.m.count("MRxRead")).as("no mini-redirector read once cached").isEqualTo(reads);
      assertThat(stats().hits()).isPositive();
      assertThat(fx.rdr.dataCache().cachedBytes(f.fcb())).isEqualTo(6L * PAGE);
    }
  }

  @Test
  void nothingIsCachedWithoutAGrant() {
    byte[] data = random(3 * PAGE, 2);
    put("f", data);
    fx.m.grant = Set.of(Buffering.HANDLE);
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      assertThat(readAll(f, PAGE)).isEqualTo(data);
      int reads = fx.m.count("MRxRead");
      assertThat(readAll(f, PAGE)).isEqualTo(data);
      assertThat(fx.m.count("MRxRead")).isEqualTo(2 * reads);
      byte[] more = random(1000, 3);
      write(f, 10, more);
      assertThat(fx.m.count("MRxWrite")).as("written through at once").isEqualTo(1);
      assertThat(Arrays.copyOfRange(server("f"), 10, 1010)).isEqualTo(more);
      assertThat(fx.rdr.dataCache().cachedBytes(f.fcb())).isZero();
    }
    assertThat(stats().cachedBytes()).isZero();
  }

  @Test
  void readOnlyGrantWritesThroughAndKeepsReadsCoherent() {
    put("f", random(2 * PAGE, 4));
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      readAll(f, PAGE);
      byte[] more = random(500, 5);
      write(f, PAGE - 100, more);
      assertThat(fx.m.count("MRxWrite")).isEqualTo(1);
      byte[] back = new byte[500];
      f.read(PAGE - 100, ByteBuffer.wrap(back));
      assertThat(back).isEqualTo(more);
    }
  }

  @Test
  void sequentialReadsReadAheadInLargeRequests() {
    byte[] data = random(16 << 20, 6);
    put("big", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "big")) {
      assertThat(readAll(f, 4096)).isEqualTo(data);
    }
    // 4,096 caller reads of 4 KiB; the window doubles up to 64 pages past the request
    assertThat(fx.m.count("MRxRead")).isLessThanOrEqualTo(16);
    assertThat(fx.m.readSizes.stream().mapToInt(Integer::intValue).max().orElse(0))
        .isGreaterThanOrEqualTo(DataCache.MAX_WINDOW_PAGES * PAGE);
    assertThat(stats().readAheadBytes()).isPositive();
  }

  @Test
  void randomReadsDoNotReadAhead() {
    put("f", random(64 * PAGE, 7));
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      for (int i : new int[] {40, 3, 17, 60, 9}) {
        f.read((long) i * PAGE + 5, ByteBuffer.allocate(100));
      }
    }
    assertThat(fx.m.readSizes).containsOnly(PAGE);
  }

  @Test
  void writesAreHeldBackWithWriteAndWrittenOnFlush() {
    put("f", random(3 * PAGE, 8));
    byte[] expected = server("f").clone();
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      byte[] a = random(PAGE + 10, 9);
      write(f, 100, a);
      System.arraycopy(a, 0, expected, 100, a.length);
      byte[] tail = random(7000, 10);
      write(f, 3L * PAGE + 5000, tail);
      expected = Arrays.copyOf(expected, 3 * PAGE + 12000);
      System.arraycopy(tail, 0, expected, 3 * PAGE + 5000, tail.length);

      assertThat(fx.m.count("MRxWrite")).as("held back").isZero();
      assertThat(server("f")).hasSize(3 * PAGE);
      assertThat(f.queryInformation().size())
          .as("size with dirty pages past EOF")
          .isEqualTo(expected.length);
      assertThat(readAll(f, 10_000)).isEqualTo(expected);
      assertThat(stats().dirtyBytes()).isPositive();

      f.flush();
      assertThat(server("f")).isEqualTo(expected);
      assertThat(fx.m.count("MRxFlush")).isEqualTo(1);
      assertThat(fx.rdr.dataCache().dirtyBytes(f.fcb())).isZero();
      assertThat(
              fx.m.log.indexOf(
                  fx.m.log.stream().filter(l -> l.startsWith("MRxWrite")).findFirst().get()))
          .isLessThan(
              fx.m.log.indexOf(
                  fx.m.log.stream().filter(l -> l.startsWith("MRxFlush")).findFirst().get()));
    }
  }

  @Test
  void consecutiveDirtyPagesGoOutInOneWrite() {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "new")) {
      for (int i = 0; i < 8; i++) {
        write(f, (long) i * PAGE, random(PAGE, i));
      }
      f.flush();
    }
    assertThat(fx.m.count("MRxWrite")).isEqualTo(1);
    assertThat(server("new")).hasSize(8 * PAGE);
  }

  @Test
  void closeWritesTheHeldBackDataBeforeTheHandleGoes() {
    fx.m.grant = RWH;
    byte[] data = random(3 * PAGE + 7, 11);
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    write(f, 0, data);
    f.close();
    assertThat(server("f")).isEqualTo(data);
    assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).as("HANDLE: deferred").isTrue();
    fx.rdr.drain();
    assertThat(fx.m.log.stream().filter(l -> l.startsWith("MRxWrite")).count()).isEqualTo(1);
    int write = indexOf("MRxWrite");
    assertThat(write).isLessThan(indexOf("MRxCloseSrvOpen"));
  }

  private int indexOf(String call) {
    List<String> log = fx.m.log;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).startsWith(call)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aBreakOfWriteWritesEverythingBeforeItCompletes() throws Exception {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      byte[] data = random(2 * PAGE + 99, 12);
      write(f, 0, data);
      assertThat(fx.m.count("MRxWrite")).isZero();
      f.srvOpen().indicateChangeOfBufferingState(RH).get(5, TimeUnit.SECONDS);
      assertThat(server("f")).as("written before the break completed").isEqualTo(data);
      assertThat(fx.rdr.dataCache().dirtyBytes(f.fcb())).isZero();
      int writes = fx.m.count("MRxWrite");
      write(f, 5, new byte[] {1, 2, 3});
      assertThat(fx.m.count("MRxWrite")).as("no WRITE: written through").isEqualTo(writes + 1);
      assertThat(server("f")[6]).isEqualTo((byte) 2);
    }
  }

  @Test
  void aBreakArrivingWhileWritesAreHeldBackLosesNothing() throws Exception {
    fx.m.grant = RWH;
    byte[] expected = new byte[40 * 1000];
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 40; i++) {
                      byte[] chunk = random(1000, 100 + i);
                      write(f, i * 1000L, chunk);
                    }
                  });
      Thread.sleep(1);
      f.srvOpen().indicateChangeOfBufferingState(Set.of()).get(5, TimeUnit.SECONDS);
      writer.join();
      for (int i = 0; i < 40; i++) {
        System.arraycopy(random(1000, 100 + i), 0, expected, i * 1000, 1000);
      }
      byte[] onServer = server("f");
      // whatever was acknowledged before the break is on the server now; the rest went through
      assertThat(onServer).isEqualTo(expected);
    }
  }

  @Test
  void aBreakOfReadPurgesTheCachedPages() throws Exception {
    put("f", random(2 * PAGE, 13));
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      readAll(f, PAGE);
      assertThat(fx.rdr.dataCache().cachedBytes(f.fcb())).isPositive();
      f.srvOpen().indicateChangeOfBufferingState(Set.of(Buffering.HANDLE)).get(5, TimeUnit.SECONDS);
      assertThat(fx.rdr.dataCache().cachedBytes(f.fcb())).isZero();
      byte[] changed = random(PAGE, 14);
      put("f", changed);
      assertThat(readAll(f, PAGE)).as("another client's data").isEqualTo(changed);
    }
  }

  @Test
  void aFailingBreakFlushFailsTheBreakAndIsReportedByTheNextFlush() {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      byte[] data = random(PAGE, 15);
      write(f, 0, data);
      fx.m.writeStatus = NtStatus.DISK_FULL;
      assertThatThrownBy(
              () -> f.srvOpen().indicateChangeOfBufferingState(RH).get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RxException.class)
          .satisfies(e -> assertThat(((RxException) e).status()).isEqualTo(NtStatus.DISK_FULL));
      fx.m.writeStatus = NtStatus.SUCCESS;
      assertThatThrownBy(f::flush)
          .isInstanceOf(RxException.class)
          .satisfies(e -> assertThat(((RxException) e).status()).isEqualTo(NtStatus.DISK_FULL));
      assertThat(server("f")).as("the pages stayed dirty and were retried").isEqualTo(data);
      f.flush();
    }
  }

  @Test
  void aFailingCloseIsReportedToTheCaller() {
    fx.m.grant = RWH;
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    write(f, 0, random(100, 16));
    fx.m.writeStatus = NtStatus.DISK_FULL;
    assertThatThrownBy(f::close)
        .isInstanceOf(RxException.class)
        .satisfies(e -> assertThat(((RxException) e).status()).isEqualTo(NtStatus.DISK_FULL));
    assertThat(f.fobx().isClosed()).as("the handle is closed anyway").isTrue();
    assertThat(stats().dirtyBytes()).isZero();
    fx.m.writeStatus = NtStatus.SUCCESS;
  }

  @Test
  void aFailingFlushIsReportedToTheCaller() {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      write(f, 0, random(100, 17));
      fx.m.writeStatus = NtStatus.DISK_FULL;
      assertThat(CoreFixture.statusOf(f::flush)).isEqualTo(NtStatus.DISK_FULL);
      fx.m.writeStatus = NtStatus.SUCCESS;
      f.flush();
      assertThat(server("f")).hasSize(100);
    }
  }

  @ParameterizedTest
  @EnumSource(ForceFilesClosed.class)
  void finalizeConnectionAtEveryForceLevelWritesHeldBackData(ForceFilesClosed force) {
    fx.m.grant = RWH;
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    byte[] data = random(2 * PAGE + 1, 18);
    write(f, 0, data);
    FinalizeResult r = fx.finalize(v, force);
    assertThat(r.unflushed()).isEmpty();
    assertThat(server("f")).as("written by the finalization, whatever its outcome").isEqualTo(data);
    if (force == ForceFilesClosed.TRUE) {
      assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
      assertThat(f.srvOpen().isOrphaned()).isTrue();
    } else {
      assertThat(r.status()).isEqualTo(NtStatus.FILES_OPEN);
    }
    f.close();
    if (force == ForceFilesClosed.FALSE) {
      assertThat(fx.finalize(v, ForceFilesClosed.FALSE).status()).isEqualTo(NtStatus.SUCCESS);
    }
  }

  @Test
  void aForcedFinalizationThatCannotWriteListsTheFile() {
    fx.m.grant = RWH;
    VNetRoot v = fx.use(CoreFixture.ALICE, "X:");
    FileObject f = fx.rdr.create(fx.ctx(CoreFixture.ALICE), v, CreateRequest.openReadWrite("f"));
    write(f, 0, random(10, 19));
    fx.m.writeStatus = NtStatus.DISK_FULL;
    FinalizeResult r = fx.finalize(v, ForceFilesClosed.TRUE);
    assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(r.unflushed()).extracting(FinalizeResult.UnflushedFile::path).containsExactly("f");
    assertThat(r.unflushed().get(0).status()).isEqualTo(NtStatus.DISK_FULL);
    fx.m.writeStatus = NtStatus.SUCCESS;
    f.close();
  }

  @Test
  void truncationAndQueriesSeeTheHeldBackData() {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      byte[] data = random(3 * PAGE, 20);
      write(f, 0, data);
      assertThat(f.queryInformation().size()).isEqualTo(3L * PAGE);
      f.setInformation(new SetInfo.EndOfFile(PAGE + 5));
      assertThat(indexOf("MRxWrite"))
          .as("data before the truncation")
          .isLessThan(indexOf("MRxSetFileInfo"));
      assertThat(server("f")).isEqualTo(Arrays.copyOf(data, PAGE + 5));
      assertThat(readAll(f, PAGE)).isEqualTo(Arrays.copyOf(data, PAGE + 5));
      assertThat(f.queryInformation().size()).isEqualTo(PAGE + 5);
    }
  }

  @Test
  void aHoleBeforeDirtyPagesPastTheEndReadsAsZeros() {
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      write(f, 5L * PAGE + 3, new byte[] {7, 8});
      byte[] all = readAll(f, 3 * PAGE);
      assertThat(all).hasSize(5 * PAGE + 5);
      assertThat(Arrays.copyOf(all, 5 * PAGE + 3)).containsOnly((byte) 0);
      assertThat(fx.m.count("MRxRead")).as("nothing past the server's end is read").isZero();
    }
    assertThat(server("f")).hasSize(5 * PAGE + 5);
  }

  @Test
  void aByteRangeLockEndsCachingOfTheFile() {
    put("f", random(PAGE, 21));
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      write(f, 0, new byte[] {1});
      readAll(f, PAGE);
      f.lock(0, 10, true, true);
      assertThat(server("f")[0]).as("dirty data written before the lock").isEqualTo((byte) 1);
      int reads = fx.m.count("MRxRead");
      readAll(f, PAGE);
      assertThat(fx.m.count("MRxRead")).isGreaterThan(reads);
      f.unlock(0, 10);
    }
  }

  /** Opens {@code name} again with FILE_OVERWRITE_IF (the recording server reports OVERWRITTEN). */
  private FileObject overwrite(String name) {
    CreateRequest over =
        new CreateRequest(
            "",
            FileAccess.FILE_READ_DATA | FileAccess.FILE_WRITE_DATA,
            FileAccess.FILE_SHARE_ALL,
            FileAccess.FILE_OVERWRITE_IF,
            0,
            0);
    return fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\" + name, over);
  }

  @Test
  void anOverwritingOpenDropsTheCachedPages() {
    put("f", random(PAGE, 22));
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "f")) {
      readAll(f, PAGE);
      // the recording server does not truncate: the overwrite is reported by the action
      fx.m.files.put("F", new byte[10]);
      try (FileObject g = overwrite("f")) {
        assertThat(readAll(f, PAGE)).hasSize(10);
      }
    }
  }

  @Test
  void anOverwritingOpenDropsTheRangeReadAhead() throws Exception {
    int call = DataCache.SCAN_READ_BYTES;
    byte[] data = random(4 * call, 82);
    // call..2*call of the old content, held by the cache
    try (FileObject f = scanWithRangeAhead(data, RH)) {
      byte[] now = random(4 * call, 83);
      fx.m.files.put("STREAM", now);
      try (FileObject g = overwrite("stream")) {
        ByteBuffer next = ByteBuffer.allocate(call);
        assertThat(f.read(call, next)).isEqualTo(call);
        assertThat(next.array()).isEqualTo(Arrays.copyOfRange(now, call, 2 * call));
      }
    }
  }

  @Test
  void deferredCloseNeedsAHandleGrant() {
    fx.m.grant = Set.of(Buffering.READ, Buffering.WRITE);
    FileObject f = fx.open(CoreFixture.ALICE, "f");
    f.close();
    assertThat(f.srvOpen().hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isFalse();
    assertThat(fx.m.count("MRxCloseSrvOpen")).isEqualTo(1);
  }

  @Test
  void theBudgetHoldsAcrossManyFilesAndEvictionWritesDirtyPages() {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dataCacheBudget(4L * PAGE));
    fx.m.grant = RWH;
    List<FileObject> open = new ArrayList<>();
    List<byte[]> written = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      FileObject f = fx.open(CoreFixture.ALICE, "f" + i);
      byte[] data = random(2 * PAGE + i, 30 + i);
      write(f, 0, data);
      open.add(f);
      written.add(data);
      assertThat(stats().cachedBytes()).isLessThanOrEqualTo(4L * PAGE);
    }
    assertThat(stats().evictions()).isPositive();
    for (int i = 0; i < 12; i++) {
      assertThat(readAll(open.get(i), PAGE)).isEqualTo(written.get(i));
      assertThat(stats().cachedBytes()).isLessThanOrEqualTo(4L * PAGE);
    }
    for (int i = 0; i < 12; i++) {
      open.get(i).close();
      assertThat(server("f" + i)).isEqualTo(written.get(i));
    }
  }

  @Test
  void concurrentCachedIoOnManyFilesKeepsTheLockOrder() throws Exception {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dataCacheBudget(6L * PAGE));
    fx.m.grant = RWH;
    List<Future<byte[]>> results = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 8; t++) {
        int id = t;
        results.add(
            pool.submit(
                () -> {
                  byte[] expect = new byte[3 * PAGE];
                  try (FileObject f = fx.open(CoreFixture.ALICE, "c" + id)) {
                    Random r = new Random(id);
                    for (int k = 0; k < 60; k++) {
                      int off = r.nextInt(3 * PAGE - 2000);
                      byte[] chunk = random(1 + r.nextInt(2000), id * 1000 + k);
                      write(f, off, chunk);
                      System.arraycopy(chunk, 0, expect, off, chunk.length);
                      if (k % 20 == 7) {
                        f.srvOpen().indicateChangeOfBufferingState(RWH).get();
                      }
                    }
                    byte[] got = readAll(f, 5000);
                    assertThat(Arrays.copyOf(got, expect.length))
                        .isEqualTo(Arrays.copyOf(expect, expect.length));
                  }
                  return expect;
                }));
      }
      for (int t = 0; t < 8; t++) {
        byte[] expect = results.get(t).get(30, TimeUnit.SECONDS);
        byte[] onServer = server("c" + t);
        assertThat(Arrays.copyOf(onServer, expect.length)).isEqualTo(expect);
      }
    }
    assertThat(LockOrder.violations()).isZero();
    assertThat(stats().dirtyBytes()).isZero();
  }

  @Test
  void theLazyWriterWritesHeldBackDataAfterTheDelay() throws Exception {
    fx.close();
    fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dirtyWriteBackDelay(Duration.ofMillis(50)));
    fx.m.grant = RWH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "lazy")) {
      byte[] data = random(3 * PAGE, 40);
      write(f, 0, data);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Arrays.equals(server("lazy"), data) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(server("lazy")).as("written with no flush or close").isEqualTo(data);
      assertThat(fx.m.count("MRxFlush")).isZero();
      assertThat(fx.rdr.dataCache().dirtyBytes(f.fcb())).isZero();
      assertThat(readAll(f, PAGE)).as("still cached, now clean").isEqualTo(data);
    }
  }

  @Test
  void aWriteOnlyHandleHoldsWritesBackInPartialPages() {
    byte[] base = random(2 * PAGE, 41);
    put("wo", base.clone());
    fx.m.grant = RWH;
    CreateRequest writeOnly =
        new CreateRequest(
            "", FileAccess.FILE_WRITE_DATA, FileAccess.FILE_SHARE_ALL, FileAccess.FILE_OPEN, 0, 0);
    try (FileObject w = fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\wo", writeOnly)) {
      byte[] a = random(100, 42);
      byte[] b = random(50, 43);
      write(w, 1000, a);
      write(w, 1100, b);
      assertThat(fx.m.count("MRxRead")).as("no page read for a write-only handle").isZero();
      assertThat(fx.m.count("MRxWrite")).as("adjacent ranges held back together").isZero();
      byte[] expected = base.clone();
      System.arraycopy(a, 0, expected, 1000, 100);
      System.arraycopy(b, 0, expected, 1100, 50);
      byte[] c = random(10, 44);
      write(w, 30_000, c);
      assertThat(fx.m.count("MRxWrite"))
          .as("a separate range in the same page: first written")
          .isEqualTo(1);
      System.arraycopy(c, 0, expected, 30_000, 10);
      try (FileObject r = fx.open(CoreFixture.ALICE, "wo")) {
        assertThat(readAll(r, 5000))
            .as("a reader completes the page from the server")
            .isEqualTo(expected);
      }
      w.flush();
      assertThat(server("wo")).isEqualTo(expected);
    }
  }

  @Test
  void aSequentialReaderIsReadAheadInTheBackground() throws Exception {
    byte[] data = random(64 * PAGE, 50);
    put("seq", data);
    fx.m.grant = RH;
    try (FileObject f = fx.open(CoreFixture.ALICE, "seq")) {
      ByteBuffer b = ByteBuffer.allocate(4096);
      f.read(0, b);
      assertThat(fx.m.count("MRxRead")).as("the page and a window of two").isEqualTo(1);
      assertThat(fx.m.readSizes).containsExactly(3 * PAGE);
      // reading on into page 1 uses up half of what was read ahead: the next window (pages 3 to
      // 6) is read on a worker while this reader goes on from the cache
      for (long off = 4096; off < 2L * PAGE; off += 4096) {
        b.clear();
        f.read(off, b);
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (fx.m.count("MRxRead") < 2 && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      assertThat(fx.m.log).contains("MRxRead seq@" + 3L * PAGE + "+" + 4 * PAGE);
      assertThat(readAll(f, 4096)).isEqualTo(data);
    }
    assertThat(stats().readAheadBytes()).isPositive();
  }
}
