package org.rdbss4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.local.LocalConfig;

/**
 * RxFinalizeConnection(TRUE) over N open handles (FOBXs), spread over at most 1,000 files so that
 * the run stays within the process's descriptor limit (opens of one file collapse onto one
 * SRV_OPEN). Each invocation opens the handles afresh (not timed) and deletes the connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class FinalizeConnectionBenchmark {
  @Param({"1000", "10000", "100000"})
  int handles;

  private Path root;
  private Redirector rdr;
  private final CallerIdentity me = CallerIdentity.of(7, "bench");
  private VNetRoot v;
  private final List<FileObject> open = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("rdbss4j-bench");
    for (int i = 0; i < Math.min(handles, 1000); i++) {
      Files.write(root.resolve("f" + i), new byte[16]);
    }
    rdr = BenchShares.redirector(LocalConfig.builder().share("share", root).build());
  }

  @Setup(Level.Invocation)
  public void openHandles() {
    v =
        rdr.addConnection(
            RxContext.of(me),
            "\\\\local\\share",
            "X:",
            Credentials.none(),
            ConnectOptions.defaults());
    int files = Math.min(handles, 1000);
    for (int i = 0; i < handles; i++) {
      open.add(rdr.create(RxContext.of(me), v, CreateRequest.openRead("f" + (i % files))));
    }
  }

  @Benchmark
  public FinalizeResult finalizeTrue() {
    return rdr.finalizeConnection(
        RxContext.of(me), v.netRoot(), v, ForceFilesClosed.TRUE, Set.of());
  }

  @TearDown(Level.Invocation)
  public void closeHandles() {
    for (FileObject f : open) {
      f.close();
    }
    open.clear();
    rdr.drain();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    rdr.close();
    BenchShares.delete(root);
  }
}
