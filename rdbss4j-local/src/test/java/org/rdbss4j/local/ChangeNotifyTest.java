package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

class ChangeNotifyTest extends LocalTestBase {
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Starts a change notification on another thread; returns once it is waiting. */
  private CompletableFuture<List<ChangeEvent>> notify(RxContext c, FileObject dir, boolean tree)
      throws Exception {
    CompletableFuture<List<ChangeEvent>> f =
        CompletableFuture.supplyAsync(() -> rdr.notifyChangeDirectory(c, dir, tree), threads);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!c.hasCancelRoutine() && !f.isDone()) {
      assertThat(System.nanoTime()).as("notify never waited").isLessThan(deadline);
      Thread.sleep(2);
    }
    return f;
  }

  private FileObject watchedDir(String name) throws Exception {
    Files.createDirectories(shareDir.resolve(name));
    return open(ALICE, CreateRequest.openDirectory(name));
  }

  @Test
  void fileCreatedOnDiskIsReportedAdded() throws Exception {
    FileObject dir = watchedDir("watched");
    CompletableFuture<List<ChangeEvent>> f = notify(ctx(ALICE), dir, false);
    Files.writeString(shareDir.resolve("watched").resolve("new.txt"), "hi");
    List<ChangeEvent> events = f.get(10, TimeUnit.SECONDS);
    assertThat(events).contains(new ChangeEvent(ChangeEvent.Action.ADDED, "new.txt"));
    dir.close();
  }

  @Test
  void notifyIsCancelledByItsContext() throws Exception {
    FileObject dir = watchedDir("quiet");
    RxContext c = ctx(ALICE);
    CompletableFuture<List<ChangeEvent>> f = notify(c, dir, false);
    c.cancel();
    assertThat(failure(f)).isEqualTo(NtStatus.CANCELLED);
    dir.close();
  }

  @Test
  void changesBetweenRequestsAreBufferedAndRemovalsReported() throws Exception {
    Path d = Files.createDirectories(shareDir.resolve("buf"));
    Files.writeString(d.resolve("old.txt"), "x");
    FileObject dir = open(ALICE, CreateRequest.openDirectory("buf"));
    CompletableFuture<List<ChangeEvent>> first = notify(ctx(ALICE), dir, false);
    Files.delete(d.resolve("old.txt"));
    assertThat(first.get(10, TimeUnit.SECONDS))
        .contains(new ChangeEvent(ChangeEvent.Action.REMOVED, "old.txt"));

    Files.writeString(d.resolve("while-busy.txt"), "x");
    List<ChangeEvent> seen = collectUntil(dir, false, "while-busy.txt");
    assertThat(seen).contains(new ChangeEvent(ChangeEvent.Action.ADDED, "while-busy.txt"));
    dir.close();
  }

  @Test
  void watchTreeFollowsNewSubdirectories() throws Exception {
    FileObject dir = watchedDir("tree");
    CompletableFuture<List<ChangeEvent>> first = notify(ctx(ALICE), dir, true);
    Path sub = Files.createDirectory(shareDir.resolve("tree").resolve("sub"));
    assertThat(first.get(10, TimeUnit.SECONDS))
        .contains(new ChangeEvent(ChangeEvent.Action.ADDED, "sub"));
    Files.writeString(sub.resolve("deep.txt"), "x");
    List<ChangeEvent> seen = collectUntil(dir, true, "sub\\deep.txt");
    assertThat(seen).contains(new ChangeEvent(ChangeEvent.Action.ADDED, "sub\\deep.txt"));
    dir.close();
  }

  @Test
  void changesMadeThroughTheRedirectorAreReportedToo() throws Exception {
    FileObject dir = watchedDir("via");
    CompletableFuture<List<ChangeEvent>> f = notify(ctx(ALICE), dir, false);
    open(BOB, CreateRequest.openReadWrite("via\\made.txt")).close();
    assertThat(f.get(10, TimeUnit.SECONDS))
        .contains(new ChangeEvent(ChangeEvent.Action.ADDED, "made.txt"));
    dir.close();
  }

  @Test
  void overflowIsOneEvent() throws Exception {
    WatchHub hub = new WatchHub();
    ChangeWatcher w = new ChangeWatcher(hub, shareDir);
    CompletableFuture<List<ChangeEvent>> f = w.next(ctx(ALICE));
    w.onEvents(shareDir, "", List.of(event(StandardWatchEventKinds.OVERFLOW, null)));
    assertThat(f.get(1, TimeUnit.SECONDS))
        .containsExactly(new ChangeEvent(ChangeEvent.Action.OVERFLOW, ""));

    List<WatchEvent<?>> many = new ArrayList<>();
    for (int i = 0; i <= ChangeWatcher.MAX_BUFFERED; i++) {
      many.add(event(StandardWatchEventKinds.ENTRY_CREATE, Path.of("f" + i)));
    }
    w.onEvents(shareDir, "", many);
    assertThat(w.next(ctx(ALICE)).get(1, TimeUnit.SECONDS))
        .containsExactly(new ChangeEvent(ChangeEvent.Action.OVERFLOW, ""));
    w.close();
    assertThat(hub.isIdle()).isTrue();
  }

  @Test
  void closingTheDirectoryEndsAPendingNotify() throws Exception {
    FileObject dir = watchedDir("closing");
    CompletableFuture<List<ChangeEvent>> f = notify(ctx(ALICE), dir, true);
    dir.close();
    assertThat(failure(f)).isEqualTo(NtStatus.CANCELLED);
    assertThat(local.isIdle()).isTrue();
  }

  @Test
  void forcedConnectionDeleteCancelsNotifyAndStopsTheWatch() throws Exception {
    rdr.addConnection(ctx(BOB), "\\\\local\\share", "X:", null, null);
    Files.createDirectory(shareDir.resolve("forced"));
    FileObject dir = open(BOB, CreateRequest.openDirectory("forced"));
    CompletableFuture<List<ChangeEvent>> f = notify(ctx(BOB), dir, false);
    rdr.deleteConnection(ctx(BOB), "X:", ForceFilesClosed.TRUE, Set.of());
    assertThat(failure(f)).isEqualTo(NtStatus.CANCELLED);
    assertThat(local.isIdle()).as("the orphaned handle's watch is closed").isTrue();
    dir.close();
  }

  @Test
  void aWatchThatCannotStartLeavesNothingBehind() {
    WatchHub hub = new WatchHub();
    ChangeWatcher w = new ChangeWatcher(hub, shareDir.resolve("absent"));
    assertThat(catchThrowable(() -> w.start(false))).isInstanceOf(IOException.class);
    assertThat(hub.isIdle()).isTrue();
  }

  private static NtStatus failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return RxException.of(e.getCause()).status();
    }
    throw new AssertionError("expected a failure");
  }

  /** Collects notifications until one names {@code name}. */
  private List<ChangeEvent> collectUntil(FileObject dir, boolean tree, String name)
      throws Exception {
    List<ChangeEvent> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (seen.stream().noneMatch(e -> e.name().equals(name))) {
      assertThat(System.nanoTime()).as("no event for " + name).isLessThan(deadline);
      seen.addAll(notify(ctx(ALICE), dir, tree).get(10, TimeUnit.SECONDS));
    }
    return seen;
  }

  private static <T> WatchEvent<T> event(WatchEvent.Kind<T> kind, T context) {
    return new WatchEvent<>() {
      @Override
      public Kind<T> kind() {
        return kind;
      }

      @Override
      public int count() {
        return 1;
      }

      @Override
      public T context() {
        return context;
      }
    };
  }
}
