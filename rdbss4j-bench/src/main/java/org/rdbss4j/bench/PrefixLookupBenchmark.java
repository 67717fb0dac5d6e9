package org.rdbss4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.PrefixTable;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.local.LocalConfig;

/** Longest-prefix lookup of a path in the net-name table against the number of connections. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PrefixLookupBenchmark {
  @Param({"10", "100", "1000", "10000"})
  int connections;

  private Path root;
  private Redirector rdr;
  private String[] paths;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("rdbss4j-bench");
    LocalConfig.Builder b = LocalConfig.builder();
    for (int i = 0; i < connections; i++) {
      b.share("s" + i, root);
    }
    rdr = BenchShares.redirector(b.build());
    RxContext ctx = RxContext.of(CallerIdentity.of(7, "bench"));
    paths = new String[connections];
    for (int i = 0; i < connections; i++) {
      rdr.addConnection(
          ctx, "\\\\local\\s" + i, null, Credentials.none(), ConnectOptions.defaults());
      paths[i] = "\\local\\S" + i + "\\dir\\file.txt";
    }
  }

  @Benchmark
  public PrefixTable.Lookup lookup() {
    String p = paths[next++ % paths.length];
    return rdr.prefixTable().find(p, 7);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    rdr.close();
    BenchShares.delete(root);
  }
}
