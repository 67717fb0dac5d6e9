package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.Buffering;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.CommandResult;
import org.rdbss4j.testkit.SambaServer;

/**
 * SMB2 leases against Samba: the grant, reads served from the cache under it, and breaks caused by
 * a second client (smbclient, or a second redirector as another client) that are acknowledged after
 * the core flushed, purged or closed what the new state no longer allows.
 */
class SmbLeaseTest extends SmbTestBase {
  private static final Duration PROMPT = Duration.ofSeconds(10);

  private Path rw() {
    return samba().shareDir(SambaServer.RW);
  }

  @Test
  void fileOpensAreGrantedReadWriteHandleAndRepeatedReadsComeFromTheCache() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(2 * 1024 * 1024, 7);
    seed("cached.bin", data);
    FileObject f = open(x, CreateRequest.openRead("cached.bin"));
    assertThat(f.srvOpen().buffering())
        .containsExactlyInAnyOrder(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
    assertThat(readAll(f, 0, data.length)).isEqualTo(data);
    long reads = smb.stats().readRequests();
    assertThat(reads).isPositive();
    for (int i = 0; i < 5; i++) {
      assertThat(readAll(f, 0, data.length)).isEqualTo(data);
    }
    assertThat(smb.stats().readRequests()).as("READs sent for cached reads").isEqualTo(reads);

    // directories are opened without a lease
    try (FileObject d = open(x, CreateRequest.openDirectory(""))) {
      assertThat(d.srvOpen().buffering()).isEmpty();
    }
  }

  @Test
  void withoutLeasesNothingIsGrantedAndEveryReadGoesToTheServer() throws Exception {
    SmbMiniRedirector otherSmb = new SmbMiniRedirector(options().leases(false).build());
    Redirector other = redirector(otherSmb);
    try {
      VNetRoot y = bobOnRw(other);
      seed("plain.bin", randomBytes(100_000, 3));
      try (FileObject f = other.create(RxContext.of(BOB), y, CreateRequest.openRead("plain.bin"))) {
        assertThat(f.srvOpen().buffering()).isEmpty();
        readAll(f, 0, 100_000);
        long reads = otherSmb.stats().readRequests();
        readAll(f, 0, 100_000);
        assertThat(otherSmb.stats().readRequests()).isGreaterThan(reads);
      }
    } finally {
      closeRedirector(other);
    }
  }

  @Test
  void anotherClientsReadBreaksTheLeaseAndSeesTheWriteBehindDataByteForByte() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(3 * 1024 * 1024 + 17, 11);
    FileObject f = open(x, CreateRequest.openReadWrite("behind.bin"));
    assertThat(f.srvOpen().buffering()).contains(Buffering.WRITE);
    long writes = smb.stats().writeRequests();
    // in pieces below DataCache.DIRECT_WRITE_BYTES, which would go to the server at once
    for (int off = 0; off < data.length; off += 256 * 1024) {
      writeAll(f, off, Arrays.copyOfRange(data, off, Math.min(data.length, off + 256 * 1024)));
    }
    assertThat(smb.stats().writeRequests()).as("writes held back").isEqualTo(writes);
    assertThat(Files.size(rw().resolve("behind.bin"))).isZero();

    assertThat(smbclientGets(SambaServer.BOB, "behind.bin")).isEqualTo(data);
    assertThat(smb.stats().leaseBreaks()).isPositive();
    assertThat(smb.stats().breakAcks()).isPositive();
    assertThat(f.srvOpen().buffering()).doesNotContain(Buffering.WRITE);
    // the handle goes on working, now writing through
    writeAll(f, data.length, new byte[] {1, 2, 3});
    f.close();
    assertThat(Files.size(rw().resolve("behind.bin"))).isEqualTo(data.length + 3L);
  }

  @Test
  void aDeferredCloseDoesNotMakeAnotherClientsExclusiveOpenFail() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    seed("kept.txt", "kept".getBytes());
    FileObject f = open(x, CreateRequest.openRead("kept.txt"));
    assertThat(f.srvOpen().buffering()).contains(Buffering.HANDLE);
    assertThat(readAll(f, 0, 4)).isEqualTo("kept".getBytes());
    var srvOpen = f.srvOpen();
    f.close();
    assertThat(srvOpen.hasFlag(org.rdbss4j.core.SrvOpen.FLAG_CLOSE_DELAYED))
        .as("close deferred under the handle lease")
        .isTrue();

    Redirector other = redirector(new SmbMiniRedirector(options().leases(false).build()));
    try {
      VNetRoot y = bobOnRw(other);
      try (FileObject g =
          other.create(
              RxContext.of(BOB), y, CreateRequest.openReadWrite("kept.txt").withShareAccess(0))) {
        assertThat(readAll(g, 0, 4)).isEqualTo("kept".getBytes());
      }
    } finally {
      closeRedirector(other);
    }
    assertThat(smb.stats().leaseBreaks()).isPositive();
  }

  /** What smbclient, as {@code user}, gets of {@code name} on share rw. */
  private static byte[] smbclientGets(String user, String name) throws IOException {
    Path copy = Files.createTempFile("rdbss4j-lease", ".bin");
    try {
      CommandResult r = samba().smbclient(SambaServer.RW, user, "get " + name + " " + copy, PROMPT);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      return Files.readAllBytes(copy);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** smbclient as bob replaces {@code name} on share rw with {@code content}. */
  private static void bobPuts(String name, String content) throws IOException {
    Path local = Files.createTempFile("rdbss4j-lease", ".txt");
    try {
      Files.writeString(local, content);
      CommandResult r =
          samba().smbclient(SambaServer.RW, SambaServer.BOB, "put " + local + " " + name, PROMPT);
      assertThat(r.exitCode()).as(r.toString()).isZero();
    } finally {
      Files.deleteIfExists(local);
    }
  }

  @Test
  void cachedReadsShowAnotherClientsChangeAfterTheBreak() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject f = openWithOldContentCached(x, "changing.txt");

    bobPuts("changing.txt", "new content!");
    assertThat(eventually(PROMPT, () -> !f.srvOpen().buffering().contains(Buffering.READ)))
        .as("read caching broken")
        .isTrue();
    assertThat(new String(readAll(f, 0, 100))).isEqualTo("new content!");
  }

  /**
   * The case as a program watching a directory sees it: data and attributes cached, another
   * client rewrites the file, the change notification arrives, and what is read afterwards through
   * the cached handle (and the size queried by path) is the new content. Samba breaks the lease
   * before it reports the change, so the notification never finds stale data cached.
   */
  @Test
  void cachedReadsAfterAChangeNotificationShowTheNewData() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject f = openWithOldContentCached(x, "watched.txt");
    RxContext ctx = RxContext.of(ALICE);
    assertThat(rdr.queryPathInformation(ctx, x, "watched.txt").size()).isEqualTo(11);

    FileObject dir = open(x, CreateRequest.openDirectory(""));
    CompletableFuture<java.util.List<org.rdbss4j.core.ChangeEvent>> events =
        CompletableFuture.supplyAsync(() -> rdr.notifyChangeDirectory(ctx, dir, false));
    assertThat(eventually(PROMPT, () -> !x.outstandingRequests().isEmpty())).isTrue();
    Thread.sleep(500); // Samba arms the watch asynchronously after it took the request

    bobPuts("watched.txt", "brand new content");
    assertThat(events.get(PROMPT.toSeconds(), TimeUnit.SECONDS))
        .extracting(org.rdbss4j.core.ChangeEvent::name)
        .contains("watched.txt");
    assertThat(new String(readAll(f, 0, 100))).isEqualTo("brand new content");
    assertThat(rdr.queryPathInformation(ctx, x, "watched.txt").size()).isEqualTo(17);
  }

  @Test
  void opensOfOneFileShareOneLeaseAndDoNotBreakEachOther() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    seed("shared.txt", "shared".getBytes());
    FileObject a = open(x, CreateRequest.openReadWrite("shared.txt"));
    FileObject b =
        open(
            x,
            CreateRequest.openRead("shared.txt")
                .withShareAccess(FileAccess.FILE_SHARE_READ | FileAccess.FILE_SHARE_WRITE));
    assertThat(a.srvOpen()).isNotSameAs(b.srvOpen());
    assertThat(b.srvOpen().buffering()).contains(Buffering.READ, Buffering.WRITE);
    assertThat(a.srvOpen().buffering()).contains(Buffering.READ, Buffering.WRITE);
    assertThat(smb.stats().leaseBreaks()).isZero();
  }

  @Test
  void aBreakArrivingWhileTheWriterGoesOnLosesNothing() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    byte[] data = randomBytes(8 * 1024 * 1024, 21);
    int chunk = 64 * 1024;
    FileObject f = open(x, CreateRequest.openReadWrite("moving.bin"));
    assertThat(f.srvOpen().buffering()).contains(Buffering.WRITE);
    CountDownLatch half = new CountDownLatch(1);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int off = 0; off < data.length; off += chunk) {
                writeAll(f, off, Arrays.copyOfRange(data, off, off + chunk));
                if (off == data.length / 4) {
                  half.countDown();
                }
              }
            });
    assertThat(half.await(10, TimeUnit.SECONDS)).isTrue();
    byte[] seen = smbclientGets(SambaServer.BOB, "moving.bin");
    // what the other client saw is what we had written by then, at least the first quarter
    assertThat(seen.length).isGreaterThan(data.length / 4);
    assertThat(seen).isEqualTo(Arrays.copyOf(data, seen.length));
    writer.get(30, TimeUnit.SECONDS);
    f.close();
    assertThat(Files.readAllBytes(rw().resolve("moving.bin"))).isEqualTo(data);
    assertThat(smb.stats().breakAcks()).isPositive();
  }

  @Test
  void twoCachingClientsSeeEachOthersWritesThroughBreaks() throws Exception {
    // B signs (SMB 3.1.1, AES-CMAC): its acknowledgement's response is verified by the interceptor
    SmbMiniRedirector otherSmb = new SmbMiniRedirector(options().signingRequired(true).build());
    Redirector other = redirector(otherSmb);
    try {
      VNetRoot y = bobOnRw(other);
      FileObject b =
          other.create(
              RxContext.of(BOB),
              y,
              CreateRequest.openReadWrite("both.txt")
                  .withShareAccess(FileAccess.FILE_SHARE_READ | FileAccess.FILE_SHARE_WRITE));
      try {
        writeAll(b, 0, "written by B".getBytes());
        assertThat(otherSmb.stats().writeRequests()).as("B writes behind").isZero();

        VNetRoot x = use(ALICE, SambaServer.RW, "X:");
        FileObject a = open(x, CreateRequest.openReadWrite("both.txt"));
        assertThat(new String(readAll(a, 0, 100))).isEqualTo("written by B");
        assertThat(b.srvOpen().buffering()).doesNotContain(Buffering.WRITE);
        assertThat(otherSmb.stats().breakAcks()).as("B acknowledged, signed").isPositive();

        writeAll(a, 0, "written by A".getBytes());
        assertThat(eventually(PROMPT, () -> !b.srvOpen().buffering().contains(Buffering.READ)))
            .isTrue();
        assertThat(new String(readAll(b, 0, 100))).isEqualTo("written by A");
        writeAll(b, 0, "again by B!!".getBytes());
        assertThat(eventually(PROMPT, () -> !a.srvOpen().buffering().contains(Buffering.READ)))
            .isTrue();
        assertThat(new String(readAll(a, 0, 100))).isEqualTo("again by B!!");
      } finally {
        b.close();
      }
    } finally {
      closeRedirector(other);
    }
  }

  @Test
  void smb21GetsVersionOneLeases() throws Exception {
    SmbMiniRedirector old = signedOnly(com.hierynomus.mssmb2.SMB2Dialect.SMB_2_1);
    Redirector other = redirector(old);
    try {
      VNetRoot y = bobOnRw(other);
      seed("v1.bin", randomBytes(300_000, 5));
      try (FileObject f = other.create(RxContext.of(BOB), y, CreateRequest.openRead("v1.bin"))) {
        assertThat(f.srvOpen().buffering())
            .containsExactlyInAnyOrder(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
        byte[] first = readAll(f, 0, 300_000);
        long reads = old.stats().readRequests();
        assertThat(readAll(f, 0, 300_000)).isEqualTo(first);
        assertThat(old.stats().readRequests()).isEqualTo(reads);
        // a break on SMB 2.1: the acknowledgement's response is signed with HMAC-SHA256
        assertThat(smbclientGets(SambaServer.ALICE, "v1.bin")).isEqualTo(first);
        assertThat(old.stats().breakAcks()).isPositive();
        assertThat(readAll(f, 0, 300_000)).isEqualTo(first);
      }
    } finally {
      closeRedirector(other);
    }
  }

  @Test
  void smb202GetsBatchOplocksBrokenAndAcknowledgedLikeLeases() throws Exception {
    SmbMiniRedirector old = signedOnly(com.hierynomus.mssmb2.SMB2Dialect.SMB_2_0_2);
    Redirector other = redirector(old);
    try {
      VNetRoot y = bobOnRw(other);
      byte[] data = randomBytes(500_000, 9);
      try (FileObject f =
          other.create(RxContext.of(BOB), y, CreateRequest.openReadWrite("batch.bin"))) {
        assertThat(f.srvOpen().buffering())
            .as("batch oplock")
            .containsExactlyInAnyOrder(Buffering.READ, Buffering.WRITE, Buffering.HANDLE);
        writeAll(f, 0, data);
        assertThat(old.stats().writeRequests()).as("written behind").isZero();
        assertThat(smbclientGets(SambaServer.ALICE, "batch.bin")).isEqualTo(data);
        assertThat(old.stats().breakAcks()).isPositive();
        assertThat(f.srvOpen().buffering()).doesNotContain(Buffering.WRITE);
        assertThat(readAll(f, 0, data.length)).isEqualTo(data);
      }
    } finally {
      closeRedirector(other);
    }
  }

  /** A file holding "old content", opened for reading under read caching, and read once. */
  private FileObject openWithOldContentCached(VNetRoot x, String name) throws IOException {
    seed(name, "old content".getBytes());
    FileObject f = open(x, CreateRequest.openRead(name));
    assertThat(f.srvOpen().buffering()).contains(Buffering.READ);
    assertThat(new String(readAll(f, 0, 100))).isEqualTo("old content");
    return f;
  }

  /** A file put in the share directory, writable by every user of the share. */
  private void seed(String name, byte[] content) throws IOException {
    Path p = rw().resolve(name);
    Files.write(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  /** A mini-redirector that offers only {@code dialect} and signs every message. */
  private SmbMiniRedirector signedOnly(com.hierynomus.mssmb2.SMB2Dialect dialect) {
    return new SmbMiniRedirector(
        options().dialects(EnumSet.of(dialect)).signingRequired(true).build());
  }

  /** Y: mapped to share rw as bob on a second redirector (another client). */
  private static VNetRoot bobOnRw(Redirector other) {
    return other.addConnection(
        RxContext.of(BOB), unc(SambaServer.RW), "Y:", credentials(BOB.userName()), port());
  }

  private Redirector redirector(SmbMiniRedirector m) {
    return Redirector.start(
        RedirectorConfig.builder().miniRedirector(m).scavengerTimeout(scavengerTimeout()).build());
  }

  private static void closeRedirector(Redirector other) {
    for (VNetRoot v : other.connections()) {
      other.finalizeConnection(
          RxContext.of(v.identity()),
          v.netRoot(),
          v,
          org.rdbss4j.core.ForceFilesClosed.TRUE,
          Set.of(org.rdbss4j.core.FinalizeOption.CLOSE_TRANSPORT));
    }
    other.close();
  }
}
