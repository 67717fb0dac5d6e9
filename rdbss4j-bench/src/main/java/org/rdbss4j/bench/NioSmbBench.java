package org.rdbss4j.bench;

import static org.rdbss4j.bench.BenchShares.check;
import static org.rdbss4j.bench.BenchShares.verify;
import static org.rdbss4j.bench.BenchShares.writeRandom;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
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
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.nio.RdbssEnv;
import org.rdbss4j.smb.SmbMiniRedirector;
import org.rdbss4j.smb.SmbOptions;
import org.rdbss4j.testkit.SambaServer;

/**
 * End-to-end {@code java.nio.file} over SMB: the rdbss4j provider (a Redirector with the SMB
 * mini-redirector, its defaults) against raw smbj with its default settings (no smbj-based NIO
 * provider is on Maven Central; the ones there, smb-nio and smb-nio-ng, are built on jcifs-ng),
 * both against the test kit's private smbd on loopback, in one run:
 *
 * <ul>
 *   <li>{@code Files.copy} of a large file in (local file to the share) and out (share to a local
 *       file); smbj: a File's output stream and input stream with {@code transferTo};
 *   <li>a copy within the share: {@code Files.copy} (server-side, FSCTL_SRV_COPYCHUNK_WRITE)
 *       against smbj's {@code File.remoteCopyTo} (the same FSCTL);
 *   <li>{@code Files.walk} of a tree of 10,000 files (100 directories of 100) counting entries,
 *       against a recursion over smbj's {@code DiskShare.list}; the provider with its defaults
 *       (metadata cache on, 1 s: each listing answers the stats of its names) and with the metadata
 *       cache off (then {@code Files.walk} stats every entry on the server).
 * </ul>
 *
 * <p>The walks of the provider (defaults) and of smbj alternate, 9 each after 2 of warm-up, and the
 * median of each is printed; the walk with the metadata cache off runs once. With 0 MiB only the
 * walks run.
 *
 * <p>Every copy is checked byte-for-byte against the source on the share's directory. Prints ms,
 * MB/s and the ratio of the provider to smbj (above 1: the provider is faster).
 *
 * <p>Run: {@code scripts/bench-nio-smb.sh [MiB] [files]} (defaults 256 and 10000; MiB 0: walks
 * only).
 */
public final class NioSmbBench {
  private NioSmbBench() {}

  record Result(String what, String client, long bytes, long nanos) {
    double ms() {
      return nanos / 1e6;
    }

    double mbPerSecond() {
      return bytes / 1e6 / (nanos / 1e9);
    }
  }

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    long size = mib * 1024L * 1024L;
    Path work = BenchShares.workDir("rdbss4j-nio-bench");
    List<Result> results = new ArrayList<>();
    try (SambaServer samba = SambaServer.start()) {
      Path src = work.resolve("src.bin");
      writeRandom(src, size);
      Path share = samba.shareDir(SambaServer.RW);
      int entries = makeTree(share.resolve("tree"), files);
      // warm-up of both clients (JIT, connection setup) on a small file
      Path small = work.resolve("small.bin");
      writeRandom(small, 16 << 20);
      if (mib > 0) {
        provider(samba, small, work, 16 << 20, entries, true, new ArrayList<>());
        smbj(samba, small, work, 16 << 20, new ArrayList<>());
        // one untimed pass at the full size, then the one recorded
        provider(samba, src, work, size, entries, true, new ArrayList<>());
        smbj(samba, src, work, size, new ArrayList<>());
        provider(samba, src, work, size, entries, true, results);
        smbj(samba, src, work, size, results);
      }
      walks(samba, entries, 2, new ArrayList<>());
      walks(samba, entries, WALK_ROUNDS, results);
      provider(samba, src, work, 0, entries, false, results);
    } finally {
      BenchShares.delete(work);
    }
    print(results, mib, files);
  }

  /** Walks per client in the measured comparison; the median is printed. */
  private static final int WALK_ROUNDS = 9;

  /**
   * The walks of both clients, alternating (which goes first alternates too), so that the load of a
   * shared machine falls on both alike; each provider walk starts more than the metadata cache's
   * lifetime (1 s) after the previous one, so none is answered from the previous round's entries.
   * Records the median of each client.
   */
  private static void walks(SambaServer samba, int entries, int rounds, List<Result> out)
      throws Exception {
    long[] provider = new long[rounds];
    long[] smbj = new long[rounds];
    Map<String, Object> env = new HashMap<>();
    char[] pw = samba.password(SambaServer.ALICE);
    try (Redirector rdr = redirector(true);
        SMBClient client = new SMBClient();
        Connection conn = client.connect(SambaServer.HOST, samba.port())) {
      env.put(RdbssEnv.REDIRECTOR.name(), rdr);
      env.put(RdbssEnv.USER.name(), SambaServer.ALICE);
      env.put(RdbssEnv.PASSWORD.name(), pw);
      URI uri = URI.create("rdbss://" + SambaServer.HOST + ":" + samba.port() + "/rw");
      Session session = conn.authenticate(new AuthenticationContext(SambaServer.ALICE, pw, ""));
      try (FileSystem fs = FileSystems.newFileSystem(uri, env);
          DiskShare share = (DiskShare) session.connectShare(SambaServer.RW)) {
        for (int r = 0; r < rounds; r++) {
          Thread.sleep(1_100);
          if (r % 2 == 0) {
            provider[r] = providerWalk(fs, entries);
            smbj[r] = smbjWalk(share, entries);
          } else {
            smbj[r] = smbjWalk(share, entries);
            provider[r] = providerWalk(fs, entries);
          }
        }
      }
    } finally {
      Arrays.fill(pw, '\0');
    }
    out.add(new Result("walk", "rdbss4j nio", 0, median(provider)));
    out.add(new Result("walk", "smbj (defaults)", 0, median(smbj)));
  }

  private static long providerWalk(FileSystem fs, int entries) throws IOException {
    long t0 = System.nanoTime();
    long n;
    try (Stream<Path> walk = Files.walk(fs.getPath("\\tree"))) {
      n = walk.count();
    }
    long t1 = System.nanoTime();
    check(n == entries, "the provider walked " + n + " entries, expected " + entries);
    return t1 - t0;
  }

  private static long smbjWalk(DiskShare share, int entries) {
    long t0 = System.nanoTime();
    long n = 1 + walk(share, "tree");
    long t1 = System.nanoTime();
    check(n == entries, "smbj walked " + n + " entries, expected " + entries);
    return t1 - t0;
  }

  private static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static Redirector redirector(boolean metadataCache) {
    RedirectorConfig.Builder b =
        RedirectorConfig.builder().miniRedirector(new SmbMiniRedirector(SmbOptions.defaults()));
    if (!metadataCache) {
      b.metadataCacheLifetime(Duration.ZERO);
    }
    return Redirector.start(b.build());
  }

  /** Through the provider; {@code size} 0 measures only the walk. */
  private static void provider(
      SambaServer samba,
      Path src,
      Path work,
      long size,
      int entries,
      boolean metadataCache,
      List<Result> out)
      throws Exception {
    String who = metadataCache ? "rdbss4j nio" : "rdbss4j nio, metadata cache off";
    Path dst = work.resolve("nio.out");
    Map<String, Object> env = new HashMap<>();
    char[] pw = samba.password(SambaServer.ALICE);
    try (Redirector rdr = redirector(metadataCache)) {
      env.put(RdbssEnv.REDIRECTOR.name(), rdr);
      env.put(RdbssEnv.USER.name(), SambaServer.ALICE);
      env.put(RdbssEnv.PASSWORD.name(), pw);
      URI uri = URI.create("rdbss://" + SambaServer.HOST + ":" + samba.port() + "/rw");
      try (FileSystem fs = FileSystems.newFileSystem(uri, env)) {
        Path onShare = fs.getPath("\\nio.bin");
        Path copied = fs.getPath("\\nio-copy.bin");
        if (size > 0) {
          long t0 = System.nanoTime();
          Files.copy(src, onShare, StandardCopyOption.REPLACE_EXISTING);
          long t1 = System.nanoTime();
          Files.copy(onShare, dst, StandardCopyOption.REPLACE_EXISTING);
          long t2 = System.nanoTime();
          Files.copy(onShare, copied, StandardCopyOption.REPLACE_EXISTING);
          long t3 = System.nanoTime();
          verify(src, samba.shareDir(SambaServer.RW).resolve("nio.bin"));
          verify(src, dst);
          verify(src, samba.shareDir(SambaServer.RW).resolve("nio-copy.bin"));
          Files.delete(dst);
          out.add(new Result("copy in", who, size, t1 - t0));
          out.add(new Result("copy out", who, size, t2 - t1));
          out.add(new Result("copy within share", who, size, t3 - t2));
        }
        if (!metadataCache) {
          out.add(new Result("walk", who, 0, providerWalk(fs, entries)));
        }
      }
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static void smbj(SambaServer samba, Path src, Path work, long size, List<Result> out)
      throws Exception {
    String who = "smbj (defaults)";
    Path dst = work.resolve("smbj.out");
    char[] pw = samba.password(SambaServer.ALICE);
    try (SMBClient client = new SMBClient();
        Connection conn = client.connect(SambaServer.HOST, samba.port())) {
      Session session = conn.authenticate(new AuthenticationContext(SambaServer.ALICE, pw, ""));
      try (DiskShare share = (DiskShare) session.connectShare(SambaServer.RW)) {
        copies(share, samba, src, dst, size, who, out);
      }
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  /** smbj's copies in, out and within the share. */
  private static void copies(
      DiskShare share,
      SambaServer samba,
      Path src,
      Path dst,
      long size,
      String who,
      List<Result> out)
      throws Exception {
    long t0 = System.nanoTime();
    try (File f =
            share.openFile(
                "smbj.bin",
                EnumSet.of(AccessMask.FILE_WRITE_DATA, AccessMask.FILE_READ_ATTRIBUTES),
                EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL),
                SMB2ShareAccess.ALL,
                SMB2CreateDisposition.FILE_OVERWRITE_IF,
                EnumSet.noneOf(SMB2CreateOptions.class));
        OutputStream os = f.getOutputStream()) {
      Files.copy(src, os);
    }
    long t1 = System.nanoTime();
    try (File f = openRead(share, "smbj.bin");
        InputStream in = f.getInputStream()) {
      Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
    }
    long t2 = System.nanoTime();
    try (File from = openRead(share, "smbj.bin");
        File to =
            share.openFile(
                "smbj-copy.bin",
                EnumSet.of(
                    AccessMask.FILE_READ_DATA,
                    AccessMask.FILE_WRITE_DATA,
                    AccessMask.FILE_READ_ATTRIBUTES),
                EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL),
                SMB2ShareAccess.ALL,
                SMB2CreateDisposition.FILE_OVERWRITE_IF,
                EnumSet.noneOf(SMB2CreateOptions.class))) {
      from.remoteCopyTo(to);
    }
    long t3 = System.nanoTime();
    verify(src, samba.shareDir(SambaServer.RW).resolve("smbj.bin"));
    verify(src, dst);
    verify(src, samba.shareDir(SambaServer.RW).resolve("smbj-copy.bin"));
    Files.delete(dst);
    out.add(new Result("copy in", who, size, t1 - t0));
    out.add(new Result("copy out", who, size, t2 - t1));
    out.add(new Result("copy within share", who, size, t3 - t2));
  }

  private static File openRead(DiskShare share, String name) {
    return share.openFile(
        name,
        EnumSet.of(AccessMask.FILE_READ_DATA, AccessMask.FILE_READ_ATTRIBUTES),
        null,
        SMB2ShareAccess.ALL,
        SMB2CreateDisposition.FILE_OPEN,
        null);
  }

  /** The entries below a directory, recursively, from one listing per directory. */
  private static long walk(DiskShare share, String dir) {
    long n = 0;
    for (FileIdBothDirectoryInformation e : share.list(dir)) {
      String name = e.getFileName();
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      n++;
      if ((e.getFileAttributes() & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0) {
        n += walk(share, dir + "\\" + name);
      }
    }
    return n;
  }

  /** {@code files} small files in directories of 100; returns the entries a walk sees. */
  private static int makeTree(Path root, int files) throws IOException {
    Files.createDirectories(root);
    int dirs = (files + 99) / 100;
    byte[] data = "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int d = 0; d < dirs; d++) {
      Path dir = Files.createDirectory(root.resolve("d" + d));
      for (int f = 0; f < 100 && d * 100 + f < files; f++) {
        Files.write(dir.resolve("f" + f + ".txt"), data);
      }
    }
    return 1 + dirs + files;
  }

  private static void print(List<Result> results, int mib, int files) {
    System.out.printf(
        "java.nio.file over loopback SMB (private smbd, share rw): copies of %d MiB, walk of %d"
            + " files%n",
        mib, files);
    System.out.printf(
        "%-18s %-32s %10s %10s %12s%n", "operation", "client", "ms", "MB/s", "vs smbj");
    for (Result r : results) {
      Result base =
          results.stream()
              .filter(b -> b.client().startsWith("smbj") && b.what().equals(r.what()))
              .findFirst()
              .orElseThrow();
      System.out.printf(
          "%-18s %-32s %10.0f %10s %11.2fx%n",
          r.what(),
          r.client(),
          r.ms(),
          r.bytes() > 0 ? String.format("%.1f", r.mbPerSecond()) : "-",
          (double) base.nanos() / r.nanos());
    }
  }
}
