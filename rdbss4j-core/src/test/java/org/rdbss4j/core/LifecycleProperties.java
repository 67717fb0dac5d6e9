package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of connect, open, close, notify, cancel and finalize at all three force levels,
 * run from three threads at once. After every step no reference count is negative and the lock
 * order held; at the end, once everything is closed and drained, every object is finalized and
 * every table is empty.
 */
class LifecycleProperties {
  private static final CallerIdentity[] IDS = {
    CallerIdentity.of(1, "alice"), CallerIdentity.of(2, "bob"), CallerIdentity.of(3, "carol")
  };

  /** One step of a sequence. */
  sealed interface Step {}

  record Connect(int id, boolean device) implements Step {}

  record Open(int id, int file, boolean dir) implements Step {}

  record Close(int pick) implements Step {}

  record Notify(int pick) implements Step {}

  record Cancel(int pick) implements Step {}

  record Finalize(int id, ForceFilesClosed force) implements Step {}

  @Provide
  Arbitrary<List<List<Step>>> scripts() {
    Arbitrary<Integer> id = Arbitraries.integers().between(0, 2);
    Arbitrary<Step> step =
        Arbitraries.oneOf(
            Arbitraries.integers()
                .between(0, 2)
                .flatMap(i -> Arbitraries.of(true, false).map(d -> new Connect(i, d))),
            Arbitraries.integers()
                .between(0, 5)
                .flatMap(
                    f -> id.flatMap(i -> Arbitraries.of(true, false).map(d -> new Open(i, f, d)))),
            Arbitraries.integers().between(0, 50).map(Close::new),
            Arbitraries.integers().between(0, 50).map(Notify::new),
            Arbitraries.integers().between(0, 50).map(Cancel::new),
            id.flatMap(
                i -> Arbitraries.of(ForceFilesClosed.values()).map(f -> new Finalize(i, f))));
    return step.list().ofMinSize(1).ofMaxSize(25).list().ofSize(3);
  }

  @Property(tries = 40)
  void everyObjectIsFinalizedAndNoCountGoesNegative(@ForAll("scripts") List<List<Step>> perThread)
      throws Exception {
    RecordingMiniRedirector m = new RecordingMiniRedirector();
    Redirector rdr =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(m)
                .scavengerTimeout(java.time.Duration.ofMillis(5))
                .maxCloseDelayedFiles(4)
                .build());
    List<FileObject> handles = new CopyOnWriteArrayList<>();
    List<RxContext> notifies = new CopyOnWriteArrayList<>();
    List<Thread> notifyThreads = new CopyOnWriteArrayList<>();
    Set<Tuple.Tuple2<Integer, Boolean>> connected = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    long violationsBefore = LockOrder.violations();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (List<Step> script : perThread) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                      for (Step s : script) {
                        run(rdr, s, handles, notifies, notifyThreads, connected);
                        checkInvariants(rdr, violationsBefore);
                      }
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertThat(failures).isEmpty();
    for (RxContext c : notifies) {
      c.cancel();
    }
    for (FileObject f : handles) {
      f.close();
    }
    for (Thread t : notifyThreads) {
      t.join(10_000);
    }
    for (VNetRoot v : rdr.connections()) {
      rdr.refs.reference(v);
      try {
        rdr.finalizeConnection(
            RxContext.of(v.identity()), v.netRoot(), v, ForceFilesClosed.TRUE, Set.of());
      } finally {
        rdr.connections.release(v);
      }
    }
    checkInvariants(rdr, violationsBefore);
    LeakCheck.assertNoLeaks(rdr);
  }

  private static void run(
      Redirector rdr,
      Step step,
      List<FileObject> handles,
      List<RxContext> notifies,
      List<Thread> notifyThreads,
      Set<Tuple.Tuple2<Integer, Boolean>> connected) {
    try {
      switch (step) {
        case Connect c -> {
          String dev = c.device() ? "X:" : null;
          rdr.addConnection(
              RxContext.of(IDS[c.id()]), "\\\\srv\\share", dev, Credentials.none(), null);
          connected.add(Tuple.of(c.id(), c.device()));
        }
        case Open o -> {
          CreateRequest r =
              o.dir()
                  ? CreateRequest.openDirectory("d" + o.file())
                  : CreateRequest.openReadWrite("f" + o.file());
          handles.add(rdr.create(RxContext.of(IDS[o.id()]), "\\\\srv\\share", r));
        }
        case Close c -> {
          FileObject f = null;
          synchronized (handles) {
            // the threads share the list: the size and the removal in one step
            if (!handles.isEmpty()) {
              f = handles.remove(c.pick() % handles.size());
            }
          }
          if (f != null) {
            f.close();
          }
        }
        case Notify n -> {
          List<FileObject> dirs = handles.stream().filter(h -> h.isDirectory()).toList();
          if (!dirs.isEmpty()) {
            FileObject d = dirs.get(n.pick() % dirs.size());
            RxContext ctx = RxContext.of(d.identity());
            notifies.add(ctx);
            notifyThreads.add(
                Thread.ofVirtual()
                    .start(
                        () -> {
                          try {
                            rdr.notifyChangeDirectory(ctx, d, false);
                          } catch (RxException expected) {
                            // cancelled, closed or orphaned: all legitimate outcomes
                          }
                        }));
          }
        }
        case Cancel c -> {
          if (!notifies.isEmpty()) {
            notifies.get(c.pick() % notifies.size()).cancel();
          }
        }
        case Finalize f -> {
          for (String name : new String[] {"X:", "\\\\srv\\share"}) {
            try {
              rdr.deleteConnection(RxContext.of(IDS[f.id()]), name, f.force(), Set.of());
            } catch (RxException e) {
              assertThat(e.status()).isEqualTo(NtStatus.BAD_NETWORK_NAME);
            }
          }
        }
      }
    } catch (RxException e) {
      assertThat(e.status())
          .isIn(
              NtStatus.UNEXPECTED_NETWORK_ERROR,
              NtStatus.NETWORK_NAME_DELETED,
              NtStatus.OBJECT_NAME_COLLISION,
              NtStatus.FILE_CLOSED,
              NtStatus.CANCELLED);
    }
  }

  private static void checkInvariants(Redirector rdr, long violationsBefore) {
    for (RxNode n : rdr.liveNodes()) {
      assertThat(n.referenceCount()).as("count of %s", n).isGreaterThanOrEqualTo(0);
      switch (n) {
        case VNetRoot v -> {
          assertThat(v.numberOfFobxs()).as("NumberOfFobxs of %s", v).isGreaterThanOrEqualTo(0);
          assertThat(v.numberOfOpens()).as("NumberOfOpens of %s", v).isGreaterThanOrEqualTo(0);
        }
        case Fcb f -> {
          assertThat(f.uncleanCount()).as("UncleanCount of %s", f).isGreaterThanOrEqualTo(0);
          assertThat(f.openCount()).as("OpenCount of %s", f).isGreaterThanOrEqualTo(0);
        }
        case SrvOpen s ->
            assertThat(s.openCount()).as("OpenCount of %s", s).isGreaterThanOrEqualTo(0);
        case NetRoot r -> assertThat(r.numberOfSrvOpens()).isGreaterThanOrEqualTo(0);
        default -> {}
      }
    }
    assertThat(LockOrder.violations()).isEqualTo(violationsBefore);
  }
}
