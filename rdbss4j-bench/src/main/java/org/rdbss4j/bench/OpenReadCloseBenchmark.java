package org.rdbss4j.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.local.LocalConfig;

/**
 * Open, read 4 KiB and close: through rdbss4j's local mini-redirector (with delayed close and
 * collapsing, as an application sees it) and through raw java.nio, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class OpenReadCloseBenchmark {
  private Path root;
  private Path file;
  private Redirector rdr;
  private RxContext ctx;
  private final ByteBuffer buf = ByteBuffer.allocate(4096);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("rdbss4j-bench");
    file = root.resolve("data.bin");
    Files.write(file, new byte[4096]);
    rdr = BenchShares.redirector(LocalConfig.builder().share("share", root).build());
    ctx = RxContext.of(CallerIdentity.of(7, "bench"));
  }

  @Benchmark
  public int rdbss4j() {
    try (FileObject f = rdr.create(ctx, "\\\\local\\share\\data.bin", CreateRequest.openRead(""))) {
      buf.clear();
      return f.read(0, buf);
    }
  }

  @Benchmark
  public int rawNio() throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      buf.clear();
      return ch.read(buf, 0);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    rdr.close();
    BenchShares.delete(root);
  }
}
