package org.rdbss4j.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rdbss4j.core.Buffering;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

/**
 * Repeated reads of a 64 MiB file through rdbss4j over the local mini-redirector, with the data
 * cache granted (READ, budget 128 MiB so the whole file fits) and not granted ({@code
 * LocalConfig.dataCaching(false)}: every read reaches the file, as cache=strict without a lease),
 * in one run; caller reads of 4 KiB and of 1 MiB. One operation reads the whole file once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataCacheBenchmark {
  private static final int SIZE = 64 << 20;

  @Param({"granted", "not-granted"})
  String cache;

  @Param({"4096", "1048576"})
  int chunk;

  private Path root;
  private Redirector rdr;
  private FileObject file;
  private ByteBuffer buf;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("rdbss4j-bench");
    byte[] data = new byte[SIZE];
    new Random(1).nextBytes(data);
    Files.write(root.resolve("big.bin"), data);
    boolean granted = cache.equals("granted");
    rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(
                    new LocalMiniRedirector(
                        LocalConfig.builder().share("share", root).dataCaching(granted).build()))
                .dataCacheBudget(128L << 20)
                .build());
    RxContext ctx = RxContext.of(CallerIdentity.of(7, "bench"));
    file = rdr.create(ctx, "\\\\local\\share\\big.bin", CreateRequest.openRead(""));
    if (file.srvOpen().buffering().contains(Buffering.READ) != granted) {
      throw new IllegalStateException("unexpected grant " + file.srvOpen().buffering());
    }
    buf = ByteBuffer.allocate(chunk);
  }

  @Benchmark
  public long readWholeFile() {
    long off = 0;
    long sum = 0;
    while (true) {
      buf.clear();
      int n = file.read(off, buf);
      if (n < 0) {
        return sum;
      }
      sum += buf.get(0);
      off += n;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    var s = rdr.dataCache().stats();
    System.out.println(
        "\ndata cache: cached "
            + (s.cachedBytes() >> 20)
            + " MiB, hits "
            + s.hits()
            + ", misses "
            + s.misses()
            + ", read ahead "
            + (s.readAheadBytes() >> 20)
            + " MiB");
    file.close();
    rdr.close();
    BenchShares.delete(root);
  }
}
