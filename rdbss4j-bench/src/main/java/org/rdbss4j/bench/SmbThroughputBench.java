package org.rdbss4j.bench;

import static org.rdbss4j.bench.BenchShares.check;
import static org.rdbss4j.bench.BenchShares.verify;
import static org.rdbss4j.bench.BenchShares.writeRandom;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rdbss4j.testkit.CommandResult;
import org.rdbss4j.testkit.SambaServer;
import org.rdbss4j.testkit.SmbClientSession;

/**
 * End-to-end SMB throughput: sequential write and read of one large file through smbclient (Samba's
 * own client, the baseline, timed as it reports each transfer from an interactive session that is
 * connected before the clock starts) and through raw smbj with default settings, against the test
 * kit's private smbd on loopback, in one run. Prints MB/s, the ratio to smbclient (of the medians,
 * and the median of each round's ratio, which a busy moment of a shared machine hits alike) and the
 * CPU time client and smbd spent per GB, which the neighbours do not move as much as the rates.
 * Every copy is checked byte-for-byte against the source on the share's directory.
 *
 * <p>Run: {@code scripts/bench-smb.sh [MiB [rounds]] [-Dbench.warmup=N] [-Dbench.verbose=true]
 * [-Dbench.defaultsOnly=true] [-Dbench.rdbss4jOnly=true]} (default 256 MiB, 3 rounds after one
 * round not counted; verbose prints every transfer; defaultsOnly leaves out the variants without
 * leases; rdbss4jOnly the raw smbj runs).
 */
public final class SmbThroughputBench {
  private SmbThroughputBench() {}

  /**
   * One transfer: its size and time, and the CPU time its client and the server used for it (in
   * nanoseconds, -1 where not measured).
   */
  record Result(
      String client, String direction, long bytes, long nanos, long clientCpu, long serverCpu) {
    Result(String client, String direction, long bytes, long nanos) {
      this(client, direction, bytes, nanos, -1, -1);
    }

    double mbPerSecond() {
      return bytes / 1e6 / (nanos / 1e9);
    }
  }

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long size = mib * 1024L * 1024L;
    // the client's files (the source, what get and read bring back)
    Path work = BenchShares.workDir("rdbss4j-smb-bench");
    Path src = work.resolve("src.bin");
    List<Result> results = new ArrayList<>();
    try (SambaServer samba = SambaServer.start()) {
      writeRandom(src, size);
      org.rdbss4j.smb.SmbOptions defaults = org.rdbss4j.smb.SmbOptions.defaults();
      org.rdbss4j.smb.SmbOptions noLease = defaults.toBuilder().leases(false).build();
      // every message signed, as a server that requires signing asks (smbclient's signed row)
      org.rdbss4j.smb.SmbOptions signed = defaults.toBuilder().signAlways(true).build();
      // rdbss4j without the data cache, each with one change (files, as the defaults' first row)
      java.util.Map<String, org.rdbss4j.smb.SmbOptions> variants = new java.util.LinkedHashMap<>();
      variants.put("rdbss4j, no lease (no cache)", noLease);
      variants.put(
          "rdbss4j, no lease, 1 in flight", noLease.toBuilder().requestsInFlight(1).build());
      variants.put("rdbss4j, no lease, all signed", noLease.toBuilder().signAlways(true).build());
      // rounds interleave the clients, so a busy moment on the machine hits all of them alike
      // one round first, not counted, as JMH warms up: the JVM compiles the hot paths, smbd
      // and the page cache settle
      int warmup = Integer.getInteger("bench.warmup", 1);
      for (int round = -warmup; round < rounds; round++) {
        List<Result> r = new ArrayList<>();
        r.addAll(smbclient("smbclient", samba, src, work, size));
        r.addAll(
            smbclient("smbclient, signed", samba, src, work, size, "--client-protection=sign"));
        r.addAll(smbclientProcess(samba, src, work, size));
        r.addAll(rdbss4j("rdbss4j (smb), files", defaults, samba, src, work, size));
        r.addAll(rdbss4jInMemory(defaults, samba, src, size));
        r.addAll(rdbss4jTransfers(defaults, samba, src, work, size));
        r.addAll(rdbss4j("rdbss4j, signed", signed, samba, src, work, size));
        if (!Boolean.getBoolean("bench.defaultsOnly")) {
          for (var v : variants.entrySet()) {
            r.addAll(rdbss4j(v.getKey(), v.getValue(), samba, src, work, size));
          }
        }
        if (Boolean.getBoolean("bench.verbose")) {
          for (Result x : r) {
            System.err.printf(
                "round %d %-34s %-5s %8.1f%n", round, x.client(), x.direction(), x.mbPerSecond());
          }
        }
        if (round >= 0) {
          results.addAll(r);
        }
      }
      if (!Boolean.getBoolean("bench.rdbss4jOnly")) {
        results.addAll(rawSmbj(samba, src, work, size));
        for (Variant v : VARIANTS) {
          results.addAll(smbjVariant(samba, src, size, v));
        }
      }
    } finally {
      BenchShares.delete(work);
    }
    print(results, mib, rounds);
  }

  /**
   * smbclient's {@code put} and {@code get} in one interactive session, connected before the clock
   * starts (as the other clients are): each transfer's time is the one smbclient reports for it (it
   * times the transfer from opening the remote file to closing it), not the process's.
   */
  private static List<Result> smbclient(
      String label, SambaServer samba, Path src, Path work, long size, String... options)
      throws IOException {
    Path dst = work.resolve("smbclient.out");
    long put;
    long get;
    long[] cpu;
    try (SmbClientSession c = samba.openSmbclient(SambaServer.RW, SambaServer.ALICE, options)) {
      var s0 = CpuMeter.treeNanos(samba.pid());
      long c0 = CpuMeter.processNanos(c.pid());
      put = transferNanos(c, "put " + src + " c.bin", size);
      var s1 = CpuMeter.treeNanos(samba.pid());
      long c1 = CpuMeter.processNanos(c.pid());
      get = transferNanos(c, "get c.bin " + dst, size);
      var s2 = CpuMeter.treeNanos(samba.pid());
      long c2 = CpuMeter.processNanos(c.pid());
      cpu = new long[] {c1 - c0, CpuMeter.between(s0, s1), c2 - c1, CpuMeter.between(s1, s2)};
    }
    verify(src, samba.shareDir(SambaServer.RW).resolve("c.bin"));
    verify(src, dst);
    Files.delete(dst);
    return List.of(
        new Result(label, "write", size, put, cpu[0], cpu[1]),
        new Result(label, "read", size, get, cpu[2], cpu[3]));
  }

  /**
   * smbclient as a script would run it: one process per transfer ({@code --command}), timed by the
   * wall clock, so start, connect and session setup are inside the time.
   */
  private static List<Result> smbclientProcess(SambaServer samba, Path src, Path work, long size)
      throws IOException {
    Path dst = work.resolve("smbclient-process.out");
    String label = "smbclient, a process per transfer";
    long t0 = System.nanoTime();
    CommandResult put =
        samba.smbclient(
            SambaServer.RW, SambaServer.ALICE, "put " + src + " p.bin", Duration.ofMinutes(5));
    long t1 = System.nanoTime();
    check(put.exitCode() == 0, "smbclient put failed: " + put);
    CommandResult get =
        samba.smbclient(
            SambaServer.RW, SambaServer.ALICE, "get p.bin " + dst, Duration.ofMinutes(5));
    long t2 = System.nanoTime();
    check(get.exitCode() == 0, "smbclient get failed: " + get);
    verify(src, dst);
    Files.delete(dst);
    return List.of(
        new Result(label, "write", size, t1 - t0), new Result(label, "read", size, t2 - t1));
  }

  private static final Pattern RATE = Pattern.compile("\\(([0-9.]+) (?:kb/s|KiloBytes/sec)\\)");

  /** Runs one smbclient transfer and returns its time from the rate smbclient prints for it. */
  private static long transferNanos(SmbClientSession c, String command, long size)
      throws IOException {
    int mark = c.output().length();
    c.send(command);
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      String out = c.output().substring(mark);
      Matcher m = RATE.matcher(out);
      if (m.find()) {
        double bytesPerSecond = Double.parseDouble(m.group(1)) * 1024;
        return (long) (size / bytesPerSecond * 1e9);
      }
      check(c.isAlive() && System.nanoTime() < deadline, "smbclient " + command + ": " + out);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** This JVM's CPU time and smbd's (per process) at one moment. */
  private record Cpu(long jvm, java.util.Map<Long, Long> smbd) {
    static Cpu now(SambaServer samba) {
      return new Cpu(CpuMeter.jvmNanos(), CpuMeter.treeNanos(samba.pid()));
    }

    /** A transfer of this JVM's from this moment to {@code end}. */
    Result result(String client, String direction, long bytes, long nanos, Cpu end) {
      return new Result(
          client, direction, bytes, nanos, end.jvm - jvm, CpuMeter.between(smbd, end.smbd));
    }
  }

  /** A redirector with the SMB mini-redirector and X: mapped to share rw as alice. */
  private record Mapped(
      org.rdbss4j.core.Redirector rdr, org.rdbss4j.core.RxContext ctx, org.rdbss4j.core.VNetRoot v)
      implements AutoCloseable {
    static Mapped open(org.rdbss4j.smb.SmbOptions options, SambaServer samba) {
      org.rdbss4j.core.Redirector rdr =
          org.rdbss4j.core.Redirector.start(
              org.rdbss4j.core.RedirectorConfig.builder()
                  .miniRedirector(new org.rdbss4j.smb.SmbMiniRedirector(options))
                  .build());
      try {
        org.rdbss4j.core.RxContext ctx =
            org.rdbss4j.core.RxContext.of(org.rdbss4j.core.CallerIdentity.of(1, SambaServer.ALICE));
        return new Mapped(rdr, ctx, BenchShares.mapAlice(rdr, ctx, samba, samba.port()));
      } catch (RuntimeException e) {
        rdr.close();
        throw e;
      }
    }

    @Override
    public void close() {
      rdr.close();
    }
  }

  /**
   * rdbss4j as an application that has the data in memory (as the smbj variants below): the source
   * is written from one array in 16 MiB calls and read back into another, then compared; no local
   * file on the client side.
   */
  private static List<Result> rdbss4jInMemory(
      org.rdbss4j.smb.SmbOptions options, SambaServer samba, Path src, long size)
      throws IOException {
    check(size <= Integer.MAX_VALUE - 16, "in-memory variant needs a size below 2 GiB");
    byte[] data = Files.readAllBytes(src);
    byte[] back = new byte[data.length];
    int call = 16 << 20;
    List<Result> r =
        timed(
            "rdbss4j (smb), memory",
            options,
            samba,
            src,
            size,
            f -> {
              for (int off = 0; off < data.length; off += call) {
                f.write(
                    off, java.nio.ByteBuffer.wrap(data, off, Math.min(call, data.length - off)));
              }
            },
            f -> {
              int off = 0;
              while (off < back.length) {
                int n =
                    f.read(
                        off,
                        java.nio.ByteBuffer.wrap(back, off, Math.min(call, back.length - off)));
                if (n < 0) {
                  break;
                }
                off += n;
              }
              check(off == back.length, "short read: " + off);
            });
    check(java.util.Arrays.equals(data, back), "read back differs from the source");
    return r;
  }

  /**
   * Through rdbss4j: a Redirector with the SMB mini-redirector (by default SMB 3.1.1, signing what
   * the protocol requires, 1 MiB requests, 16 in flight), a mapped connection, a FileObject written
   * from and read into a local file in 16 MiB calls through one direct buffer and a FileChannel, as
   * a Java application copying files with NIO in a loop would.
   */
  private static List<Result> rdbss4j(
      String label,
      org.rdbss4j.smb.SmbOptions options,
      SambaServer samba,
      Path src,
      Path work,
      long size)
      throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(16 << 20);
    return fileCopies(
        label,
        options,
        samba,
        src,
        work,
        size,
        (f, in) -> {
          long off = 0;
          while (true) {
            buf.clear();
            while (buf.hasRemaining() && in.read(buf) > 0) {
              // fill the buffer
            }
            buf.flip();
            if (!buf.hasRemaining()) {
              break;
            }
            off += f.write(off, buf);
          }
        },
        (f, out) -> {
          long off = 0;
          while (true) {
            buf.clear();
            int n = f.read(off, buf);
            if (n < 0) {
              break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
              out.write(buf);
            }
            off += n;
          }
        });
  }

  /**
   * rdbss4j copying files as NIO's file copy does ({@code FileChannel.transferFrom} and {@code
   * transferTo}, here of the FileObject): the local file is read while the previous range goes to
   * the server, and the next range comes from the server while this one is written to the local
   * file, through the transfer's own buffers with no copy between socket and file.
   */
  private static List<Result> rdbss4jTransfers(
      org.rdbss4j.smb.SmbOptions options, SambaServer samba, Path src, Path work, long size)
      throws IOException {
    return fileCopies(
        "rdbss4j (smb), files, transfers",
        options,
        samba,
        src,
        work,
        size,
        (f, in) -> check(f.transferFrom(in, 0, size) == size, "short transferFrom"),
        (f, out) -> check(f.transferTo(0, Long.MAX_VALUE, out) == size, "short transferTo"));
  }

  /** One way of moving a file's data between a FileObject and a local file's channel. */
  private interface FileCopy {
    void run(org.rdbss4j.core.FileObject f, java.nio.channels.FileChannel local) throws IOException;
  }

  /** One side of a timed transfer: the share's file written or read. */
  private interface Transfer {
    void run(org.rdbss4j.core.FileObject f) throws IOException;
  }

  /**
   * The source copied to the share by {@code up} from the local file and back into a local file by
   * {@code down}, each timed with the CPU it cost, the copy checked against the source.
   */
  private static List<Result> fileCopies(
      String label,
      org.rdbss4j.smb.SmbOptions options,
      SambaServer samba,
      Path src,
      Path work,
      long size,
      FileCopy up,
      FileCopy down)
      throws IOException {
    Path dst = work.resolve("rdbss4j.out");
    List<Result> r =
        timed(
            label,
            options,
            samba,
            src,
            size,
            f -> {
              try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(src)) {
                up.run(f, in);
              }
            },
            f -> {
              try (java.nio.channels.FileChannel out =
                  java.nio.channels.FileChannel.open(
                      dst,
                      java.nio.file.StandardOpenOption.CREATE,
                      java.nio.file.StandardOpenOption.WRITE,
                      java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                down.run(f, out);
              }
            });
    verify(src, dst);
    Files.delete(dst);
    return r;
  }

  /**
   * A file on the share written by {@code up} (then flushed) and read by {@code down} through a
   * fresh mapping, each timed with the CPU it cost; what reached the share checked against the
   * source.
   */
  private static List<Result> timed(
      String label,
      org.rdbss4j.smb.SmbOptions options,
      SambaServer samba,
      Path src,
      long size,
      Transfer up,
      Transfer down)
      throws IOException {
    try (Mapped m = Mapped.open(options, samba)) {
      Cpu cpu0 = Cpu.now(samba);
      long t0 = System.nanoTime();
      try (org.rdbss4j.core.FileObject f =
          m.rdr()
              .create(
                  m.ctx(),
                  m.v(),
                  org.rdbss4j.core.CreateRequest.openReadWrite("r.bin")
                      .withDisposition(org.rdbss4j.core.FileAccess.FILE_OVERWRITE_IF))) {
        up.run(f);
        f.flush();
      }
      long t1 = System.nanoTime();
      Cpu cpu1 = Cpu.now(samba);
      long t1r = System.nanoTime();
      try (org.rdbss4j.core.FileObject f =
          m.rdr().create(m.ctx(), m.v(), org.rdbss4j.core.CreateRequest.openRead("r.bin"))) {
        down.run(f);
      }
      long t2 = System.nanoTime();
      Cpu cpu2 = Cpu.now(samba);
      m.rdr()
          .deleteConnection(
              m.ctx(), "X:", org.rdbss4j.core.ForceFilesClosed.FALSE, java.util.Set.of());
      verify(src, samba.shareDir(SambaServer.RW).resolve("r.bin"));
      return List.of(
          cpu0.result(label, "write", size, t1 - t0, cpu1),
          cpu1.result(label, "read", size, t2 - t1r, cpu2));
    }
  }

  private static List<Result> rawSmbj(SambaServer samba, Path src, Path work, long size)
      throws IOException {
    Path dst = work.resolve("smbj.out");
    char[] pw = samba.password(SambaServer.ALICE);
    try (SMBClient client = new SMBClient();
        Connection conn = client.connect(SambaServer.HOST, samba.port())) {
      Session session = conn.authenticate(new AuthenticationContext(SambaServer.ALICE, pw, ""));
      try (DiskShare share = (DiskShare) session.connectShare(SambaServer.RW)) {
        long t0 = System.nanoTime();
        try (File f =
                share.openFile(
                    "j.bin",
                    EnumSet.of(AccessMask.FILE_WRITE_DATA, AccessMask.FILE_READ_ATTRIBUTES),
                    EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL),
                    SMB2ShareAccess.ALL,
                    SMB2CreateDisposition.FILE_OVERWRITE_IF,
                    EnumSet.noneOf(SMB2CreateOptions.class));
            OutputStream out = f.getOutputStream();
            InputStream in = Files.newInputStream(src)) {
          in.transferTo(out);
        }
        long t1 = System.nanoTime();
        try (File f =
                share.openFile(
                    "j.bin",
                    EnumSet.of(AccessMask.FILE_READ_DATA, AccessMask.FILE_READ_ATTRIBUTES),
                    null,
                    SMB2ShareAccess.ALL,
                    SMB2CreateDisposition.FILE_OPEN,
                    null);
            InputStream in = f.getInputStream();
            OutputStream out = Files.newOutputStream(dst)) {
          in.transferTo(out);
        }
        long t2 = System.nanoTime();
        verify(src, samba.shareDir(SambaServer.RW).resolve("j.bin"));
        verify(src, dst);
        Files.delete(dst);
        return List.of(
            new Result("smbj (defaults)", "write", size, t1 - t0),
            new Result("smbj (defaults)", "read", size, t2 - t1));
      }
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  /** A way of driving smbj: its config, the chunk size and how many requests are in flight. */
  record Variant(String name, boolean signing, int chunk, int inFlight) {}

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant("smbj 1MiB x1", true, 1 << 20, 1),
          new Variant("smbj 1MiB x1 SMB2.1", false, 1 << 20, 1),
          new Variant("smbj 1MiB x4", true, 1 << 20, 4),
          new Variant("smbj 4MiB x4", true, 4 << 20, 4),
          new Variant("smbj 1MiB x8 SMB2.1", false, 1 << 20, 8));

  /**
   * Positional reads and writes of {@code chunk} bytes with {@code inFlight} virtual threads
   * sharing one handle, so that many requests are outstanding on the connection at once.
   */
  private static List<Result> smbjVariant(SambaServer samba, Path src, long size, Variant v)
      throws Exception {
    char[] pw = samba.password(SambaServer.ALICE);
    com.hierynomus.smbj.SmbConfig.Builder b =
        com.hierynomus.smbj.SmbConfig.builder().withBufferSize(Math.max(v.chunk(), 1 << 20));
    if (!v.signing()) {
      // smbj refuses unsigned SMB 3.x sessions: measure the signing cost on SMB 2.1
      b.withDialects(com.hierynomus.mssmb2.SMB2Dialect.SMB_2_1).withSigningEnabled(false);
    }
    com.hierynomus.smbj.SmbConfig cfg = b.build();
    byte[] data = Files.readAllBytes(src);
    String name = "v" + Integer.toHexString(v.name().hashCode()) + ".bin";
    try (SMBClient client = new SMBClient(cfg);
        Connection conn = client.connect(SambaServer.HOST, samba.port())) {
      Session session = conn.authenticate(new AuthenticationContext(SambaServer.ALICE, pw, ""));
      try (DiskShare share = (DiskShare) session.connectShare(SambaServer.RW);
          File f =
              share.openFile(
                  name,
                  EnumSet.of(
                      AccessMask.FILE_READ_DATA,
                      AccessMask.FILE_WRITE_DATA,
                      AccessMask.FILE_READ_ATTRIBUTES),
                  EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL),
                  SMB2ShareAccess.ALL,
                  SMB2CreateDisposition.FILE_OVERWRITE_IF,
                  EnumSet.noneOf(SMB2CreateOptions.class))) {
        long t0 = System.nanoTime();
        parallel(
            v, size, off -> f.write(data, off, (int) off, (int) Math.min(v.chunk(), size - off)));
        long t1 = System.nanoTime();
        byte[] back = new byte[data.length];
        parallel(
            v,
            size,
            off -> {
              int want = (int) Math.min(v.chunk(), size - off);
              int got = 0;
              while (got < want) {
                int n = f.read(back, off + got, (int) off + got, want - got);
                if (n <= 0) {
                  throw new IllegalStateException("short read at " + (off + got));
                }
                got += n;
              }
            });
        long t2 = System.nanoTime();
        check(java.util.Arrays.equals(data, back), "read back differs: " + v);
        verify(src, samba.shareDir(SambaServer.RW).resolve(name));
        return List.of(
            new Result(v.name(), "write", size, t1 - t0),
            new Result(v.name(), "read", size, t2 - t1));
      }
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  interface ChunkOp {
    void run(long offset) throws Exception;
  }

  private static void parallel(Variant v, long size, ChunkOp op) throws Exception {
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < v.inFlight(); i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (long off; (off = next.getAndAdd(v.chunk())) < size; ) {
                        op.run(off);
                      }
                    } catch (Throwable t) {
                      errors.add(t);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(v.name() + " failed", errors.get(0));
    }
  }

  /**
   * Median MB/s per client and direction, its ratio to smbclient's median, the median of the
   * per-round ratios (each transfer against smbclient's in the same round, which a busy moment of
   * the machine hits alike), the range, and the CPU time client and server spent per GB.
   */
  private static void print(List<Result> results, int mib, int rounds) {
    System.out.printf(
        "sequential %d MiB over loopback SMB (private smbd, share rw under %s), median of %d rounds"
            + " for smbclient and rdbss4j, one run for raw smbj; the baseline is smbclient's own"
            + " timing in a connected session (rows that sign every message: smbclient signing"
            + " every message); paired: the median of each round's ratio; CPU in ms per GB moved"
            + " (client: the smbclient process or this JVM; server: smbd)%n",
        mib,
        System.getProperty("rdbss4j.testkit.tmpdir", System.getProperty("java.io.tmpdir")),
        rounds);
    System.out.printf(
        "%-34s %-5s %8s %8s %8s %11s %10s %10s%n",
        "client", "dir", "MB/s", "vs smbc", "paired", "range MB/s", "client CPU", "server CPU");
    java.util.Map<String, List<Result>> by = new java.util.LinkedHashMap<>();
    for (Result r : results) {
      by.computeIfAbsent(r.client() + "\t" + r.direction(), k -> new ArrayList<>()).add(r);
    }
    for (var e : by.entrySet()) {
      String[] k = e.getKey().split("\t");
      List<Result> rs = e.getValue();
      // a row that signs every message is held against smbclient signing every message
      String baseline = k[0].contains("signed") ? "smbclient, signed" : "smbclient";
      List<Result> base = by.getOrDefault(baseline + "\t" + k[1], by.get("smbclient\t" + k[1]));
      List<Double> mbs = rs.stream().map(Result::mbPerSecond).toList();
      double m = median(mbs);
      List<Double> paired = new ArrayList<>();
      // pairs only for rows that ran in every round (not the raw smbj runs after them)
      if (rounds > 1 && base.size() == rs.size()) {
        for (int i = 0; i < rs.size(); i++) {
          paired.add(rs.get(i).mbPerSecond() / base.get(i).mbPerSecond());
        }
      }
      System.out.printf(
          "%-34s %-5s %8.1f %7.2fx %8s %5.0f-%-5.0f %10s %10s%n",
          k[0],
          k[1],
          m,
          m / median(base.stream().map(Result::mbPerSecond).toList()),
          paired.isEmpty() ? "" : String.format("%.2fx", median(paired)),
          java.util.Collections.min(mbs),
          java.util.Collections.max(mbs),
          cpuPerGb(rs, Result::clientCpu),
          cpuPerGb(rs, Result::serverCpu));
    }
  }

  /** The median of a CPU time per GB moved, in ms, or blank when it was not measured. */
  private static String cpuPerGb(List<Result> rs, java.util.function.ToLongFunction<Result> cpu) {
    List<Double> v = new ArrayList<>();
    for (Result r : rs) {
      long n = cpu.applyAsLong(r);
      if (n >= 0) {
        v.add(n / 1e6 / (r.bytes() / 1e9));
      }
    }
    return v.isEmpty() ? "" : String.format("%.0f", median(v));
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    java.util.Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
