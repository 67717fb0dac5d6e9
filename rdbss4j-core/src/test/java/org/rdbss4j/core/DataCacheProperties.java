package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random reads, writes, truncations, flushes, breaks and reopens on three files under a budget of
 * three pages, checked against a model of each file's bytes: every read returns the model's bytes,
 * the cache never holds more than its budget after a request, and once the files are closed the
 * server has exactly the model.
 */
class DataCacheProperties {
  private static final int PAGE = DataCache.PAGE_SIZE;
  private static final long BUDGET = 3L * PAGE;
  private static final Set<Buffering> RWH =
      Set.of(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);

  sealed interface Op {}

  record Write(int file, int offset, int length, int seed, boolean writeOnly) implements Op {}

  record Read(int file, int offset, int length) implements Op {}

  record Truncate(int file, int size) implements Op {}

  /** Reads the whole file from the start in chunks (sequential: read-ahead in the background). */
  record Scan(int file, int chunk) implements Op {}

  record Flush(int file) implements Op {}

  record Break(int file, boolean keepRead) implements Op {}

  record Reopen(int file) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> file = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> off = Arbitraries.integers().between(0, 5 * PAGE);
    Arbitrary<Integer> len = Arbitraries.integers().between(1, 2 * PAGE);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                5,
                net.jqwik.api.Combinators.combine(
                        file, off, len, Arbitraries.integers(), Arbitraries.of(true, false))
                    .as(Write::new)),
            net.jqwik.api.Tuple.of(
                5, net.jqwik.api.Combinators.combine(file, off, len).as(Read::new)),
            net.jqwik.api.Tuple.of(
                1, net.jqwik.api.Combinators.combine(file, off).as(Truncate::new)),
            net.jqwik.api.Tuple.of(
                1,
                net.jqwik.api.Combinators.combine(
                        file, Arbitraries.of(1000, 4096, PAGE, 3 * PAGE + 5))
                    .as(Scan::new)),
            net.jqwik.api.Tuple.of(1, file.map(Flush::new)),
            net.jqwik.api.Tuple.of(
                1,
                net.jqwik.api.Combinators.combine(file, Arbitraries.of(true, false))
                    .as(Break::new)),
            net.jqwik.api.Tuple.of(1, file.map(Reopen::new)));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 60)
  void theCacheAgreesWithAModelOfTheFiles(@ForAll("ops") List<Op> ops) throws Exception {
    CoreFixture fx =
        new CoreFixture(
            RedirectorConfig.builder()
                .scavengerTimeout(Duration.ofHours(1))
                .dataCacheBudget(BUDGET));
    fx.m.grant = RWH;
    byte[][] model = {new byte[0], new byte[0], new byte[0]};
    FileObject[] open = new FileObject[3];
    FileObject[] writeOnly = new FileObject[3];
    CreateRequest wo =
        new CreateRequest(
            "",
            FileAccess.FILE_WRITE_DATA,
            FileAccess.FILE_SHARE_ALL,
            FileAccess.FILE_OPEN_IF,
            0,
            0);
    try {
      for (int i = 0; i < 3; i++) {
        open[i] = fx.open(CoreFixture.ALICE, "p" + i);
        writeOnly[i] = fx.rdr.create(fx.ctx(CoreFixture.ALICE), "\\\\srv\\share\\p" + i, wo);
      }
      for (Op op : ops) {
        switch (op) {
          case Write w -> {
            byte[] data = new byte[w.length()];
            new java.util.Random(w.seed()).nextBytes(data);
            (w.writeOnly() ? writeOnly : open)[w.file()].write(w.offset(), ByteBuffer.wrap(data));
            byte[] m = model[w.file()];
            if (m.length < w.offset() + data.length) {
              m = Arrays.copyOf(m, w.offset() + data.length);
            }
            System.arraycopy(data, 0, m, w.offset(), data.length);
            model[w.file()] = m;
          }
          case Read r -> {
            ByteBuffer b = ByteBuffer.allocate(r.length());
            int n = open[r.file()].read(r.offset(), b);
            byte[] m = model[r.file()];
            if (r.offset() >= m.length) {
              assertThat(n).isEqualTo(-1);
            } else {
              int want = Math.min(r.length(), m.length - r.offset());
              assertThat(n).isEqualTo(want);
              assertThat(Arrays.copyOf(b.array(), n))
                  .isEqualTo(Arrays.copyOfRange(m, r.offset(), r.offset() + n));
            }
          }
          case Scan sc -> {
            byte[] m = model[sc.file()];
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            long off = 0;
            while (true) {
              ByteBuffer b = ByteBuffer.allocate(sc.chunk());
              int n = open[sc.file()].read(off, b);
              if (n < 0) {
                break;
              }
              got.write(b.array(), 0, n);
              off += n;
            }
            assertThat(got.toByteArray()).isEqualTo(m);
          }
          case Truncate t -> {
            open[t.file()].setInformation(new SetInfo.EndOfFile(t.size()));
            model[t.file()] = Arrays.copyOf(model[t.file()], t.size());
          }
          case Flush f -> {
            open[f.file()].flush();
            assertThat(fx.m.files.get(("p" + f.file()).toUpperCase())).isEqualTo(model[f.file()]);
          }
          case Break b -> {
            // as a lease break: every handle of the file loses WRITE (and READ unless kept)
            for (SrvOpen s : open[b.file()].fcb().srvOpens()) {
              s.indicateChangeOfBufferingState(
                      b.keepRead() ? Set.of(Buffering.READ, Buffering.HANDLE) : Set.of())
                  .get();
            }
            assertThat(fx.m.files.get(("p" + b.file()).toUpperCase())).isEqualTo(model[b.file()]);
          }
          case Reopen r -> {
            open[r.file()].close();
            assertThat(fx.m.files.get(("p" + r.file()).toUpperCase())).isEqualTo(model[r.file()]);
            open[r.file()] = fx.open(CoreFixture.ALICE, "p" + r.file());
          }
        }
        assertThat(fx.rdr.dataCache().stats().cachedBytes()).isLessThanOrEqualTo(BUDGET);
        assertThat(open[0].queryInformation().size()).isEqualTo(model[0].length);
      }
      for (int i = 0; i < 3; i++) {
        writeOnly[i].close();
        writeOnly[i] = null;
        open[i].close();
        open[i] = null;
        assertThat(fx.m.files.get(("p" + i).toUpperCase())).isEqualTo(model[i]);
      }
    } finally {
      for (FileObject f : open) {
        if (f != null) {
          f.close();
        }
      }
      for (FileObject f : writeOnly) {
        if (f != null) {
          f.close();
        }
      }
      fx.close();
    }
    assertThat(fx.m.ioUnderTableLock.get()).isZero();
  }
}
