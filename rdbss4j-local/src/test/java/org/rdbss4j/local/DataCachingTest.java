package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.Buffering;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.DataCache;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.VNetRoot;

/** The data cache over real files: the local mini-redirector's grants and what they mean. */
class DataCachingTest extends LocalTestBase {
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] bytesOf(FileObject f) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long off = 0;
    while (true) {
      ByteBuffer b = ByteBuffer.allocate(10_000);
      int n = f.read(off, b);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(b.array(), 0, n);
      off += n;
    }
  }

  @Test
  void aFileOpenOnlyThroughOneFcbIsGrantedReadWriteAndHandle() throws Exception {
    Files.write(shareDir.resolve("f"), new byte[10]);
    FileObject f = open(ALICE, CreateRequest.openReadWrite("f"));
    assertThat(f.srvOpen().buffering())
        .containsExactlyInAnyOrder(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    FileObject d = open(ALICE, CreateRequest.openDirectory(""));
    assertThat(d.srvOpen().buffering()).containsExactly(Buffering.HANDLE);
  }

  @Test
  void repeatedReadsComeFromTheCache() throws Exception {
    byte[] data = random(3 * DataCache.PAGE_SIZE + 17, 1);
    Path p = shareDir.resolve("f");
    Files.write(p, data);
    FileObject f = open(ALICE, CreateRequest.openRead("f"));
    assertThat(bytesOf(f)).isEqualTo(data);
    long misses = rdr.dataCache().stats().misses();
    long hits = rdr.dataCache().stats().hits();
    assertThat(bytesOf(f)).isEqualTo(data);
    assertThat(rdr.dataCache().stats().misses()).isEqualTo(misses);
    assertThat(rdr.dataCache().stats().hits()).isGreaterThan(hits);
    // the cached pages are what the second read returned: a change on disk behind rdbss4j's back
    // is not seen while the handle is open (hence LocalConfig.dataCaching(false))
    Files.write(p, new byte[data.length]);
    assertThat(bytesOf(f)).isEqualTo(data);
  }

  @Test
  void writesReachTheFileOnFlushAndClose() throws Exception {
    Path p = shareDir.resolve("w");
    FileObject f = open(ALICE, CreateRequest.openReadWrite("w"));
    byte[] data = random(200_000, 2);
    f.write(0, ByteBuffer.wrap(data));
    assertThat(Files.size(p)).as("held back").isZero();
    assertThat(f.queryInformation().size()).isEqualTo(data.length);
    FileObject dir = open(ALICE, CreateRequest.openDirectory(""));
    assertThat(dir.queryDirectory("w"))
        .extracting(FileInfo::size)
        .as("listings show the size with the held-back data")
        .containsExactly((long) data.length);
    f.flush();
    assertThat(Files.readAllBytes(p)).isEqualTo(data);
    byte[] more = random(1000, 3);
    f.write(data.length, ByteBuffer.wrap(more));
    f.close();
    byte[] all = Arrays.copyOf(data, data.length + 1000);
    System.arraycopy(more, 0, all, data.length, 1000);
    assertThat(Files.readAllBytes(p)).isEqualTo(all);
  }

  @Test
  void aReopenAfterAChangeOnDiskDoesNotSeeStalePages() throws Exception {
    Path p = shareDir.resolve("f");
    Files.writeString(p, "first version");
    FileObject f = open(ALICE, CreateRequest.openRead("f"));
    assertThat(new String(bytesOf(f))).isEqualTo("first version");
    f.close();
    assertThat(f.srvOpen().hasFlag(org.rdbss4j.core.SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();
    Thread.sleep(5);
    Files.writeString(p, "second version!");
    FileObject g = open(ALICE, CreateRequest.openRead("f"));
    assertThat(g.srvOpen()).as("collapsed onto the kept handle").isSameAs(f.srvOpen());
    assertThat(new String(bytesOf(g))).isEqualTo("second version!");
  }

  @Test
  void withoutDataCachingEveryReadReachesTheFile() throws Exception {
    LocalMiniRedirector plain =
        new LocalMiniRedirector(
            LocalConfig.builder()
                .serverName("plain")
                .share("s", shareDir)
                .dataCaching(false)
                .build());
    try (Redirector r2 =
        Redirector.start(RedirectorConfig.builder().miniRedirector(plain).build())) {
      Path p = shareDir.resolve("f");
      Files.writeString(p, "one");
      try (FileObject f = r2.create(ctx(ALICE), "\\\\plain\\s", CreateRequest.openRead("f"))) {
        assertThat(f.srvOpen().buffering()).containsExactly(Buffering.HANDLE);
        assertThat(new String(bytesOf(f))).isEqualTo("one");
        Files.writeString(p, "two");
        assertThat(new String(bytesOf(f))).isEqualTo("two");
      }
      assertThat(r2.dataCache().stats().cachedBytes()).isZero();
      r2.drain();
    }
  }

  @Test
  void anOpenThroughAnotherFcbBreaksTheCachingAndSeesTheHeldBackData() throws Exception {
    LocalMiniRedirector two =
        new LocalMiniRedirector(
            LocalConfig.builder().serverName("one").serverName("two").share("s", shareDir).build());
    Redirector r2 =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(two)
                .scavengerTimeout(Duration.ofMillis(200))
                .build());
    try {
      FileObject a = r2.create(ctx(ALICE), "\\\\one\\s", CreateRequest.openReadWrite("f"));
      byte[] data = random(100_000, 4);
      a.write(0, ByteBuffer.wrap(data));
      assertThat(Files.size(shareDir.resolve("f"))).isZero();
      FileObject b = r2.create(ctx(ALICE), "\\\\two\\s", CreateRequest.openReadWrite("f"));
      assertThat(b.fcb()).isNotSameAs(a.fcb());
      assertThat(b.srvOpen().buffering()).containsExactly(Buffering.HANDLE);
      assertThat(a.srvOpen().buffering()).containsExactly(Buffering.HANDLE);
      assertThat(bytesOf(b)).as("the break wrote the held-back data").isEqualTo(data);
      b.write(0, ByteBuffer.wrap(new byte[] {42}));
      byte[] first = new byte[1];
      a.read(0, ByteBuffer.wrap(first));
      assertThat(first[0]).as("no stale page through the other FCB").isEqualTo((byte) 42);
      a.close();
      b.close();
      r2.drain();
      assertThat(r2.liveNodes()).isEmpty();
      assertThat(two.isIdle()).isTrue();
    } finally {
      r2.close();
    }
  }

  @Test
  void aForcedDeleteOfTheConnectionWritesTheHeldBackData() throws Exception {
    VNetRoot v =
        rdr.addConnection(
            ctx(BOB), "\\\\local\\share", "Y:", Credentials.none(), ConnectOptions.defaults());
    FileObject f = rdr.create(ctx(BOB), v, CreateRequest.openReadWrite("forced"));
    byte[] data = random(70_000, 5);
    f.write(0, ByteBuffer.wrap(data));
    FinalizeResult r = rdr.deleteConnection(ctx(BOB), "Y:", ForceFilesClosed.TRUE, Set.of());
    assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
    assertThat(r.unflushed()).isEmpty();
    assertThat(Files.readAllBytes(shareDir.resolve("forced"))).isEqualTo(data);
    f.close();
  }
}
