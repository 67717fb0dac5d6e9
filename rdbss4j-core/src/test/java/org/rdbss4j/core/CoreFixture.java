package org.rdbss4j.core;

import java.time.Duration;
import java.util.Set;

/** A redirector over a {@link RecordingMiniRedirector}, with two identities, for core tests. */
class CoreFixture implements AutoCloseable {
  static final CallerIdentity ALICE = CallerIdentity.of(1, "alice");
  static final CallerIdentity BOB = CallerIdentity.of(2, "bob");

  final RecordingMiniRedirector m = new RecordingMiniRedirector();
  final Redirector rdr;

  CoreFixture() {
    this(RedirectorConfig.builder().scavengerTimeout(Duration.ofHours(1)));
  }

  CoreFixture(RedirectorConfig.Builder b) {
    rdr = Redirector.start(b.miniRedirector(m).build());
  }

  /** {@code n} pseudo-random bytes from {@code seed}. */
  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** Puts a file's bytes on the recording mini-redirector's "server". */
  void put(String name, byte[] data) {
    m.files.put(name.toUpperCase(), data);
  }

  /** A file's bytes on the "server". */
  byte[] server(String name) {
    return m.files.get(name.toUpperCase());
  }

  /** The status a call failed with, or SUCCESS. */
  static NtStatus statusOf(Runnable r) {
    try {
      r.run();
      return NtStatus.SUCCESS;
    } catch (RxException e) {
      return e.status();
    }
  }

  RxContext ctx(CallerIdentity id) {
    return RxContext.of(id);
  }

  VNetRoot use(CallerIdentity id, String device) {
    return rdr.addConnection(
        ctx(id), "\\\\srv\\share", device, Credentials.none(), ConnectOptions.defaults());
  }

  FileObject open(CallerIdentity id, String path) {
    return rdr.create(ctx(id), "\\\\srv\\share\\" + path, CreateRequest.openReadWrite(""));
  }

  FileObject openDir(CallerIdentity id, String path) {
    return rdr.create(ctx(id), "\\\\srv\\share\\" + path, CreateRequest.openDirectory(""));
  }

  FinalizeResult finalize(VNetRoot v, ForceFilesClosed f) {
    return rdr.finalizeConnection(ctx(v.identity()), v.netRoot(), v, f, Set.of());
  }

  /** Runs a notify on a virtual thread; returns once it is outstanding. */
  Thread pendingNotify(
      FileObject dir,
      RxContext ctx,
      java.util.concurrent.atomic.AtomicReference<Throwable> outcome) {
    int before = m.pendingNotifies.size();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    rdr.notifyChangeDirectory(ctx, dir, false);
                    outcome.set(new AssertionError("notify completed without cancel"));
                  } catch (Throwable e) {
                    outcome.set(e);
                  }
                });
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (m.pendingNotifies.size() == before && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return t;
  }

  @Override
  public void close() {
    LeakCheck.assertNoLeaks(rdr);
  }
}
