package org.rdbss4j.bench;

import static org.rdbss4j.bench.BenchShares.check;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.smb.SmbMiniRedirector;
import org.rdbss4j.smb.SmbOptions;
import org.rdbss4j.testkit.LinkEmulator;
import org.rdbss4j.testkit.SambaServer;

/**
 * The caches over SMB, end to end against the test kit's private smbd on loopback, in one run:
 *
 * <ul>
 *   <li>repeated reads of one file through one open handle, with SMB2 leases (the data cache serves
 *       them) and without ({@link SmbOptions#leases()} off: every read goes to the server); READ
 *       requests sent are counted for both;
 *   <li>repeated stat of every file of a directory and repeated listing of it, with the metadata
 *       caches on (lifetime 1 minute) and off.
 * </ul>
 *
 * <p>Each measurement is preceded by one untimed pass (it fills the caches). Prints times and the
 * ratio uncached / cached, first against smbd's port on loopback, then through a {@link
 * LinkEmulator} relay that makes the path behave like a LAN link (default 1000 Mbit/s each way, 0.2
 * ms round trip; 0 Mbit/s skips it): on loopback an uncached read runs at memory speed on the same
 * two cores, which hides what a cache saves on a network. Run: {@code scripts/bench-smb-cache.sh
 * [MiB] [files] [repeats] [link Mbit/s] [round trip ms]} (defaults 64, 10000, 5, 1000, 0.2).
 */
public final class SmbCacheBench {
  private static final CallerIdentity ME = CallerIdentity.of(1, SambaServer.ALICE);

  private SmbCacheBench() {}

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    long linkMbit = args.length > 3 ? Long.parseLong(args[3]) : 1000;
    double rttMs = args.length > 4 ? Double.parseDouble(args[4]) : 0.2;
    try (SambaServer samba = SambaServer.start()) {
      Path share = samba.shareDir(SambaServer.RW);
      byte[] data = new byte[mib << 20];
      new Random(42).nextBytes(data);
      Path big = share.resolve("big.bin");
      Files.write(big, data);
      Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-rw-rw-"));
      Path dir = Files.createDirectories(share.resolve("tree"));
      for (int i = 0; i < files; i++) {
        Files.write(dir.resolve("f" + i + ".txt"), new byte[i % 100]);
      }
      System.out.printf(
          "SMB caches against Samba: %d MiB file read %d times, %d files stat'ed and listed %d"
              + " times%n%n",
          mib, repeats, files, repeats);
      System.out.printf("== loopback (smbd's port directly)%n");
      measure(samba, samba.port(), data, files, repeats);
      if (linkMbit > 0) {
        long bytesPerSecond = linkMbit * 1_000_000 / 8;
        Duration oneWay = Duration.ofNanos((long) (rttMs * 1e6 / 2));
        System.out.printf(
            "%n== emulated link: %d Mbit/s each way, %.2f ms round trip (LinkEmulator relay on"
                + " loopback in front of smbd)%n",
            linkMbit, rttMs);
        try (LinkEmulator link = LinkEmulator.start(samba.port(), bytesPerSecond, oneWay)) {
          measure(samba, link.port(), data, files, repeats);
        }
      }
    }
  }

  private static void measure(SambaServer samba, int port, byte[] data, int files, int repeats) {
    int mib = data.length >> 20;
    Timed cached = reads(samba, port, true, data, repeats);
    Timed uncached = reads(samba, port, false, data, repeats);
    System.out.printf(
        "repeated %d MiB reads  leases on : %8.1f ms/read (%,6.0f MB/s), %d READ requests%n",
        mib, cached.msPer(repeats), cached.mbps(data.length, repeats), cached.requests);
    System.out.printf(
        "repeated %d MiB reads  leases off: %8.1f ms/read (%,6.0f MB/s), %d READ requests%n",
        mib, uncached.msPer(repeats), uncached.mbps(data.length, repeats), uncached.requests);
    System.out.printf("  ratio uncached / cached: %.1fx%n", (double) uncached.nanos / cached.nanos);

    Timed[] on = metadata(samba, port, Duration.ofMinutes(1), files, repeats);
    Timed[] off = metadata(samba, port, Duration.ZERO, files, repeats);
    System.out.printf(
        "stat %d files          cache on  : %8.1f ms/pass%n", files, on[0].msPer(repeats));
    System.out.printf(
        "stat %d files          cache off : %8.1f ms/pass%n", files, off[0].msPer(repeats));
    System.out.printf("  ratio uncached / cached: %.1fx%n", (double) off[0].nanos / on[0].nanos);
    System.out.printf(
        "list %d files          cache on  : %8.2f ms/listing%n", files, on[1].msPer(repeats));
    System.out.printf(
        "list %d files          cache off : %8.2f ms/listing%n", files, off[1].msPer(repeats));
    System.out.printf("  ratio uncached / cached: %.1fx%n", (double) off[1].nanos / on[1].nanos);
  }

  private record Timed(long nanos, long requests) {
    double msPer(int n) {
      return nanos / 1e6 / n;
    }

    double mbps(long bytes, int n) {
      return bytes * (double) n / 1e6 / (nanos / 1e9);
    }
  }

  private static Redirector start(SmbMiniRedirector smb, Duration metadataLifetime) {
    return Redirector.start(
        RedirectorConfig.builder()
            .miniRedirector(smb)
            .dataCacheBudget(256L << 20)
            .metadataCacheLifetime(metadataLifetime)
            .build());
  }

  /** Reads the whole file once untimed, then {@code repeats} times timed, through one handle. */
  private static Timed reads(
      SambaServer samba, int port, boolean leases, byte[] data, int repeats) {
    SmbMiniRedirector smb = new SmbMiniRedirector(SmbOptions.builder().leases(leases).build());
    try (Redirector rdr = start(smb, Duration.ofSeconds(1))) {
      VNetRoot v = BenchShares.mapAlice(rdr, RxContext.of(ME), samba, port);
      RxContext ctx = RxContext.of(ME);
      ByteBuffer buf = ByteBuffer.allocate(data.length);
      try (FileObject f = rdr.create(ctx, v, CreateRequest.openRead("big.bin"))) {
        readFully(f, buf);
        check(Arrays.equals(buf.array(), data), "first read differs from the file");
        long requests = smb.stats().readRequests();
        long t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
          readFully(f, buf);
        }
        long t = System.nanoTime() - t0;
        check(Arrays.equals(buf.array(), data), "last read differs from the file");
        Timed r = new Timed(t, smb.stats().readRequests() - requests);
        rdr.deleteConnection(ctx, "X:", ForceFilesClosed.TRUE, Set.of());
        return r;
      }
    }
  }

  private static void readFully(FileObject f, ByteBuffer buf) {
    buf.clear();
    long off = 0;
    while (buf.hasRemaining()) {
      int n = f.read(off, buf);
      if (n < 0) {
        break;
      }
      off += n;
    }
    check(!buf.hasRemaining(), "short read");
  }

  /** Stat of every file, and a listing, each once untimed and then {@code repeats} times. */
  private static Timed[] metadata(
      SambaServer samba, int port, Duration life, int files, int repeats) {
    SmbMiniRedirector smb = new SmbMiniRedirector(SmbOptions.defaults());
    try (Redirector rdr = start(smb, life)) {
      VNetRoot v = BenchShares.mapAlice(rdr, RxContext.of(ME), samba, port);
      RxContext ctx = RxContext.of(ME);
      String[] names = new String[files];
      for (int i = 0; i < files; i++) {
        names[i] = "tree\\f" + i + ".txt";
      }
      long total = statAll(rdr, ctx, v, names);
      long t0 = System.nanoTime();
      for (int r = 0; r < repeats; r++) {
        check(statAll(rdr, ctx, v, names) == total, "stat sizes changed");
      }
      long stat = System.nanoTime() - t0;
      check(list(rdr, ctx, v) == files, "listing size");
      t0 = System.nanoTime();
      for (int r = 0; r < repeats; r++) {
        check(list(rdr, ctx, v) == files, "listing size");
      }
      long listing = System.nanoTime() - t0;
      rdr.deleteConnection(ctx, "X:", ForceFilesClosed.TRUE, Set.of());
      return new Timed[] {new Timed(stat, 0), new Timed(listing, 0)};
    }
  }

  private static long statAll(Redirector rdr, RxContext ctx, VNetRoot v, String[] names) {
    long total = 0;
    for (String n : names) {
      FileInfo i = rdr.queryPathInformation(ctx, v, n);
      total += i.size();
    }
    return total;
  }

  private static int list(Redirector rdr, RxContext ctx, VNetRoot v) {
    try (FileObject d = rdr.create(ctx, v, CreateRequest.openDirectory("tree"))) {
      return rdr.queryDirectory(ctx, d, "*").size();
    }
  }
}
