package org.rdbss4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

/**
 * Repeated stat of every file of a 10,000-file directory, and repeated listing of it, through the
 * local mini-redirector with the metadata caches off and on (lifetime 1 minute), in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MetadataCacheBenchmark {
  private static final int FILES = 10_000;

  @Param({"off", "on"})
  String cache;

  private Path root;
  private Redirector rdr;
  private VNetRoot v;
  private RxContext ctx;
  private String[] names;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("rdbss4j-bench");
    Path dir = Files.createDirectories(root.resolve("tree"));
    names = new String[FILES];
    for (int i = 0; i < FILES; i++) {
      names[i] = "tree\\f" + i + ".txt";
      Files.write(dir.resolve("f" + i + ".txt"), new byte[i % 100]);
    }
    Duration life = cache.equals("on") ? Duration.ofMinutes(1) : Duration.ZERO;
    rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(
                    new LocalMiniRedirector(LocalConfig.builder().share("share", root).build()))
                .metadataCacheLifetime(life)
                .build());
    ctx = RxContext.of(CallerIdentity.of(7, "bench"));
    v =
        rdr.addConnection(
            ctx, "\\\\local\\share", "X:", Credentials.none(), ConnectOptions.defaults());
  }

  @Benchmark
  public long statAll() {
    long total = 0;
    for (String n : names) {
      FileInfo i = rdr.queryPathInformation(ctx, v, n);
      total += i.size();
    }
    return total;
  }

  @Benchmark
  public int listAll() {
    try (FileObject d = rdr.create(ctx, v, CreateRequest.openDirectory("tree"))) {
      List<FileInfo> l = rdr.queryDirectory(ctx, d, "*");
      return l.size();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    rdr.close();
    BenchShares.delete(root);
  }
}
