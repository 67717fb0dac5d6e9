package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * A redirector with a local mini-redirector serving {@code \\local\share} (writable), {@code
 * \\local\ro} (read-only) and {@code \\local\private} (alice only), each a temporary directory;
 * every test ends with a leak check of the core's nodes and of the mini-redirector's own state.
 */
abstract class LocalTestBase {
  static final CallerIdentity ALICE = CallerIdentity.of(1, "alice");
  static final CallerIdentity BOB = CallerIdentity.of(2, "bob");

  @TempDir Path tmp;
  Path shareDir;
  Path roDir;
  Path privateDir;
  Path outside;
  LocalMiniRedirector local;
  Redirector rdr;

  private final List<FileObject> opened = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  private record Connection(CallerIdentity id, String share) {}

  @BeforeEach
  void startRedirector() throws Exception {
    shareDir = Files.createDirectory(tmp.resolve("share"));
    roDir = Files.createDirectory(tmp.resolve("ro"));
    privateDir = Files.createDirectory(tmp.resolve("private"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    LocalConfig cfg =
        LocalConfig.builder()
            .share("share", shareDir)
            .readOnlyShare("ro", roDir)
            .share("private", privateDir)
            .allowedUsers("private", "Alice")
            .build();
    local = new LocalMiniRedirector(cfg);
    rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(local)
                .scavengerTimeout(Duration.ofMillis(200))
                .build());
  }

  @AfterEach
  void closeEverythingAndCheckForLeaks() {
    try {
      for (FileObject fo : opened) {
        fo.close();
      }
      for (Connection c : connections) {
        FinalizeResult r =
            rdr.deleteConnection(
                RxContext.of(c.id()), "\\\\local\\" + c.share(), ForceFilesClosed.FALSE, Set.of());
        assertThat(r.status()).isEqualTo(NtStatus.SUCCESS);
      }
      rdr.drain();
      assertThat(rdr.liveNodes()).isEmpty();
      assertThat(rdr.prefixTable().size()).isZero();
      assertThat(local.isIdle()).as("no open file or watch left in the mini-redirector").isTrue();
    } finally {
      rdr.close();
    }
  }

  static RxContext ctx(CallerIdentity id) {
    return RxContext.of(id);
  }

  /** An explicit connection to {@code \\local\share}, deleted by the leak check. */
  void connect(CallerIdentity id, String share) {
    rdr.addConnection(
        ctx(id), "\\\\local\\" + share, null, Credentials.none(), ConnectOptions.defaults());
    connections.add(new Connection(id, share));
  }

  /** Opens a path below {@code \\local\share}; closed by the leak check if the test does not. */
  FileObject open(CallerIdentity id, CreateRequest r) {
    return open(id, "share", r);
  }

  FileObject open(CallerIdentity id, String share, CreateRequest r) {
    FileObject fo = rdr.create(ctx(id), "\\\\local\\" + share, r);
    opened.add(fo);
    return fo;
  }

  /** The status an operation fails with. */
  static NtStatus statusOf(ThrowingCallable call) {
    RxException e = catchThrowableOfType(RxException.class, call);
    assertThat(e).as("expected an RxException").isNotNull();
    return e.status();
  }

  static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  static String readAll(FileObject fo) {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    long off = 0;
    while (true) {
      int n = fo.read(off, b);
      if (n < 0) {
        break;
      }
      off += n;
      if (!b.hasRemaining()) {
        break;
      }
    }
    b.flip();
    return StandardCharsets.UTF_8.decode(b).toString();
  }
}
