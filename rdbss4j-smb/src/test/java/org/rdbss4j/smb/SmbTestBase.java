package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeOption;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.Eventually;
import org.rdbss4j.testkit.SambaExtension;
import org.rdbss4j.testkit.SambaServer;

/**
 * A real core {@link Redirector} with the SMB mini-redirector, against a private Samba per test
 * class (shares {@code rw}, {@code ro} and {@code alice}; users alice and bob). Every test ends
 * with a leak check: its connections deleted, {@link Redirector#drain()}, then no node alive and an
 * empty prefix table.
 */
abstract class SmbTestBase {
  static final CallerIdentity ALICE = CallerIdentity.of(1, SambaServer.ALICE);
  static final CallerIdentity BOB = CallerIdentity.of(2, SambaServer.BOB);

  @RegisterExtension static final SambaExtension SAMBA = new SambaExtension();

  SmbMiniRedirector smb;
  Redirector rdr;
  private final List<FileObject> opened = new ArrayList<>();

  /** The options of the mini-redirector under test; small transfers to exercise pipelining. */
  SmbOptions.Builder options() {
    return SmbOptions.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .maxReadSize(256 * 1024)
        .maxWriteSize(256 * 1024)
        .requestsInFlight(4)
        .defaultCredentials(id -> credentials(id.userName()));
  }

  /** The scavenger's idle timeout of the redirector under test. */
  Duration scavengerTimeout() {
    return Duration.ofMillis(300);
  }

  @BeforeEach
  void startRedirector() {
    smb = new SmbMiniRedirector(options().build());
    rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(smb)
                .scavengerTimeout(scavengerTimeout())
                .build());
  }

  @AfterEach
  void deleteConnectionsAndCheckForLeaks() {
    try {
      for (FileObject fo : opened) {
        fo.close();
      }
      for (VNetRoot v : rdr.connections()) {
        rdr.finalizeConnection(
            RxContext.of(v.identity()),
            v.netRoot(),
            v,
            ForceFilesClosed.TRUE,
            Set.of(FinalizeOption.CLOSE_TRANSPORT));
      }
      rdr.drain();
      assertThat(rdr.liveNodes()).as("live nodes after drain").isEmpty();
      assertThat(rdr.prefixTable().size()).as("prefix table entries").isZero();
    } finally {
      rdr.close();
    }
  }

  static SambaServer samba() {
    return SAMBA.server();
  }

  static Credentials credentials(String user) {
    char[] pw = samba().password(user);
    try {
      return new Credentials(user, "", pw);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  static String unc(String share) {
    return "\\\\" + SambaServer.HOST + "\\" + share;
  }

  static ConnectOptions port() {
    return ConnectOptions.port(samba().port());
  }

  /** {@code net use X: \\127.0.0.1\share} for an identity, with its password. */
  VNetRoot use(CallerIdentity id, String share, String device) {
    return rdr.addConnection(
        RxContext.of(id), unc(share), device, credentials(id.userName()), port());
  }

  /** Opens a path on a connection; closed by the leak check unless the test closes it. */
  FileObject open(VNetRoot v, CreateRequest req) {
    FileObject fo = rdr.create(RxContext.of(v.identity()), v, req);
    opened.add(fo);
    return fo;
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void writeAll(FileObject fo, long offset, byte[] data) {
    ByteBuffer src = ByteBuffer.wrap(data);
    int n = fo.write(offset, src);
    assertThat(n).isEqualTo(data.length);
    assertThat(src.hasRemaining()).isFalse();
  }

  static byte[] readAll(FileObject fo, long offset, int length) {
    ByteBuffer dst = ByteBuffer.allocate(length);
    long pos = offset;
    while (dst.hasRemaining()) {
      int n = fo.read(pos, dst);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return Arrays.copyOf(dst.array(), dst.position());
  }

  static NtStatus statusOf(ThrowingCallable call) {
    RxException e = catchThrowableOfType(RxException.class, call);
    assertThat(e).as("expected an RxException").isNotNull();
    return e.status();
  }

  /** The future's value, or its failure as the RxException it carries; 30 s at most. */
  static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw RxException.of(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls a condition: Samba updates its session tables asynchronously. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    return Eventually.within(timeout, condition);
  }
}
