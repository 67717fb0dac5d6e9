package org.rdbss4j.nio;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rdbss4j.nio.WatchEvents.eventsUntil;
import static org.rdbss4j.nio.WatchEvents.outstandingNotifies;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.RxContext;

class WatchServiceTest extends NioTestBase {
  private RdbssFileSystem fs;
  private RdbssPath dir;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
    dir = fs.getPath("\\watched");
    Files.createDirectory(dir);
  }

  @Test
  void createModifyAndDeleteAreReported() throws Exception {
    try (WatchService ws = fs.newWatchService()) {
      WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      assertThat(key.watchable()).isEqualTo(dir);
      Files.writeString(shareDir.resolve("watched").resolve("a.txt"), "on disk");
      assertThat(eventsUntil(ws, "ENTRY_CREATE a.txt"::equals)).contains("ENTRY_CREATE a.txt");
      Files.writeString(dir.resolve("a.txt"), "through the share, longer");
      assertThat(eventsUntil(ws, "ENTRY_MODIFY a.txt"::equals)).contains("ENTRY_MODIFY a.txt");
      Files.delete(dir.resolve("a.txt"));
      assertThat(eventsUntil(ws, "ENTRY_DELETE a.txt"::equals)).contains("ENTRY_DELETE a.txt");
    }
  }

  @Test
  void onlyTheRegisteredKindsArrive() throws Exception {
    try (WatchService ws = fs.newWatchService()) {
      dir.register(ws, ENTRY_DELETE);
      Files.writeString(dir.resolve("b.txt"), "b");
      Files.delete(dir.resolve("b.txt"));
      List<String> seen = eventsUntil(ws, "ENTRY_DELETE b.txt"::equals);
      assertThat(seen).allMatch(s -> s.startsWith("ENTRY_DELETE"));
    }
  }

  @Test
  void theServersOverflowIsAnOverflowEvent() throws Exception {
    try (WatchService ws = fs.newWatchService()) {
      dir.register(ws, ENTRY_CREATE);
      observed.overflowNext.set(true);
      Files.writeString(dir.resolve("c.txt"), "c");
      List<String> seen = eventsUntil(ws, s -> s.startsWith("OVERFLOW"));
      assertThat(seen).contains(OVERFLOW.name() + " null");
    }
  }

  @Test
  void oneNotifyIsOutstandingAndNothingPolls() throws Exception {
    try (WatchService ws = fs.newWatchService()) {
      dir.register(ws, ENTRY_CREATE);
      assertThat(outstandingNotifies(fs)).hasSize(1);
      Thread.sleep(300);
      assertThat(observed.notifyRequests.get()).as("no request while nothing changes").isEqualTo(1);
      Files.writeString(dir.resolve("d.txt"), "d");
      eventsUntil(ws, "ENTRY_CREATE d.txt"::equals);
      Thread.sleep(100);
      int afterChange = observed.notifyRequests.get();
      assertThat(afterChange).as("one request per batch of changes").isBetween(2, 4);
      Thread.sleep(300);
      assertThat(observed.notifyRequests.get()).isEqualTo(afterChange);
      assertThat(outstandingNotifies(fs)).hasSize(1);
    }
  }

  @Test
  void closeCancelsTheOutstandingNotifyAndWakesTakers() throws Exception {
    WatchService ws = fs.newWatchService();
    WatchKey key = dir.register(ws, ENTRY_CREATE);
    RxContext notify = outstandingNotifies(fs).getFirst();
    CompletableFuture<Throwable> taker = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                ws.take();
                taker.complete(null);
              } catch (Throwable e) {
                taker.complete(e);
              }
            });
    ws.close();
    assertThat(notify.isCancelled()).isTrue();
    assertThat(outstandingNotifies(fs)).isEmpty();
    assertThat(key.isValid()).isFalse();
    assertThat(taker.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedWatchServiceException.class);
    assertThatThrownBy(ws::poll).isInstanceOf(ClosedWatchServiceException.class);
    assertThatThrownBy(() -> dir.register(ws, ENTRY_CREATE))
        .isInstanceOf(ClosedWatchServiceException.class);
    ws.close();
  }

  @Test
  void cancellingAKeyCancelsItsNotify() throws Exception {
    try (WatchService ws = fs.newWatchService()) {
      WatchKey key = dir.register(ws, ENTRY_CREATE);
      assertThat(dir.register(ws, ENTRY_CREATE, ENTRY_DELETE)).isSameAs(key);
      RxContext notify = outstandingNotifies(fs).getFirst();
      key.cancel();
      assertThat(notify.isCancelled()).isTrue();
      assertThat(key.isValid()).isFalse();
      assertThat(key.reset()).isFalse();
      assertThat(outstandingNotifies(fs)).isEmpty();
      WatchKey again = dir.register(ws, ENTRY_CREATE);
      assertThat(again).isNotSameAs(key);
      assertThat(again.isValid()).isTrue();
    }
  }

  @Test
  void closingTheFileSystemClosesItsWatchServices() throws Exception {
    WatchService ws = fs.newWatchService();
    WatchKey key = dir.register(ws, ENTRY_CREATE);
    fs.close();
    assertThat(key.isValid()).isFalse();
    assertThatThrownBy(ws::poll).isInstanceOf(ClosedWatchServiceException.class);
  }

  @Test
  void onlyDirectoriesOfThisFileSystemCanBeWatched() throws Exception {
    Files.writeString(dir.resolve("f"), "f");
    try (WatchService ws = fs.newWatchService();
        WatchService local = tmp.getFileSystem().newWatchService()) {
      assertThatThrownBy(() -> dir.resolve("f").register(ws, ENTRY_CREATE))
          .isInstanceOf(NotDirectoryException.class);
      assertThatThrownBy(() -> dir.register(local, ENTRY_CREATE))
          .isInstanceOf(java.nio.file.ProviderMismatchException.class);
      assertThatThrownBy(() -> dir.register(ws)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
