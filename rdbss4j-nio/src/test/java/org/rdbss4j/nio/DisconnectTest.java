package org.rdbss4j.nio;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.Files;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;

/** Deleting a file system's connection: close (force TRUE) and {@code disconnect} at each level. */
class DisconnectTest extends NioTestBase {
  private RdbssFileSystem fs;
  private RdbssPath file;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
    file = fs.getPath("\\f.txt");
    Files.writeString(file, "0123456789");
  }

  @Test
  void closeOrphansOpenChannelsAndClosesThem() throws Exception {
    FileChannel ch = FileChannel.open(file, READ, WRITE);
    ch.write(ByteBuffer.wrap("ab".getBytes()), 0);
    InputStream in = Files.newInputStream(file);
    fs.close();
    assertThat(ch.isOpen()).isFalse();
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1)))
        .isInstanceOf(ClosedChannelException.class)
        .hasMessageContaining("\\\\local\\share");
    assertThatThrownBy(in::read).isInstanceOf(ClosedChannelException.class);
    assertThat(Files.readString(shareDir.resolve("f.txt"))).isEqualTo("ab23456789");
    assertThat(rdr.connections()).isEmpty();
    assertThat(fs.isOpen()).isFalse();
    assertThatThrownBy(() -> Files.exists(file)).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> Files.newByteChannel(file))
        .isInstanceOf(ClosedFileSystemException.class);
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.SUCCESS);
    fs.close();
    ch.close();
  }

  @Test
  void closeReportsDataItCouldNotFlush() throws Exception {
    FileChannel ch = FileChannel.open(file, WRITE);
    observed.failFlush.set(true);
    assertThatThrownBy(fs::close)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f.txt")
        .hasMessageContaining("STATUS_DISK_FULL");
    observed.failFlush.set(false);
    assertThat(fs.isOpen()).isFalse();
    assertThat(ch.isOpen()).isFalse();
    assertThat(rdr.connections()).isEmpty();
  }

  @Test
  void closeEndsARequestInFlightNamingTheDeletedConnection() throws Exception {
    RdbssFileSystem bob = open("share", "bob");
    FileChannel held = FileChannel.open(bob.getPath("f.txt"), READ, WRITE);
    held.lock();
    FileChannel waiting = FileChannel.open(file, READ, WRITE);
    CompletableFuture<Object> lock = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                lock.complete(waiting.lock());
              } catch (Throwable e) {
                lock.completeExceptionally(e);
              }
            });
    awaitOutstanding(fs, RxContext.MajorFunction.LOCK_CONTROL);
    fs.close();
    Throwable t = failureOf(lock);
    assertThat(t).isInstanceOf(IOException.class);
    assertThat(t instanceof ClosedChannelException || t.getMessage().contains("\\\\local\\share"))
        .as("closed, or naming the deleted connection: " + t)
        .isTrue();
    assertThat(held.isOpen()).as("another identity's connection is untouched").isTrue();
    held.close();
  }

  @Test
  void falseFailsWhileAFileIsOpenAndChangesNothing() throws Exception {
    FileChannel ch = FileChannel.open(file, READ);
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(fs.isOpen()).isTrue();
    assertThat(ch.read(ByteBuffer.allocate(4))).isEqualTo(4);
    assertThat(Files.readString(file)).isEqualTo("0123456789");
    ch.close();
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.SUCCESS);
    assertThat(fs.isOpen()).isFalse();
    assertThat(rdr.connections()).isEmpty();
  }

  @Test
  void falseFailsWhileADirectoryIsWatched() throws Exception {
    WatchService ws = fs.newWatchService();
    fs.getPath("\\").register(ws, ENTRY_CREATE);
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.CONNECTION_IN_USE);
    ws.close();
    assertThat(fs.disconnect(ForceFilesClosed.FALSE)).isEqualTo(NtStatus.SUCCESS);
  }

  @Test
  void lazyClosesTheFileSystemAndDeletesTheConnectionWithItsLastHandle() throws Exception {
    FileChannel ch = FileChannel.open(file, READ, WRITE);
    assertThat(fs.disconnect(ForceFilesClosed.LAZY)).isEqualTo(NtStatus.FILES_OPEN);
    assertThat(fs.isOpen()).isFalse();
    assertThatThrownBy(() -> Files.size(file)).isInstanceOf(ClosedFileSystemException.class);
    ch.write(ByteBuffer.wrap("still".getBytes()), 0);
    assertThat(rdr.connections()).containsExactly(fs.vNetRoot());
    ch.close();
    // the delayed close left by the set-up's write still holds the connection: a 0xFF delete
    // purges delayed closes only when nothing is open (docs/nio.md, core gaps)
    rdr.drain();
    assertThat(rdr.connections()).isEmpty();
    assertThat(Files.readString(shareDir.resolve("f.txt"))).isEqualTo("still56789");
  }

  @Test
  void aNewFileSystemTakesBackALazilyDeletedConnection() throws Exception {
    FileChannel old = FileChannel.open(file, READ);
    assertThat(fs.disconnect(ForceFilesClosed.LAZY)).isEqualTo(NtStatus.FILES_OPEN);
    RdbssFileSystem again = open("share", "alice");
    assertThat(again.vNetRoot()).as("RDBSS reuses the V_NET_ROOT").isSameAs(fs.vNetRoot());
    fs.close();
    assertThat(old.isOpen()).isFalse();
    assertThat(Files.readString(again.getPath("f.txt"))).isEqualTo("0123456789");
    assertThat(rdr.connections()).containsExactly(again.vNetRoot());
  }

  @Test
  void aRegistrationRacingTheCloseIsNeverLost() throws Exception {
    Queue<FileChannel> channels = new ConcurrentLinkedQueue<>();
    CountDownLatch opening = new CountDownLatch(4);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int n = 0; n < 2000; n++) {
                        channels.add(FileChannel.open(file, READ));
                        if (n == 10) {
                          opening.countDown();
                        }
                      }
                    } catch (ClosedFileSystemException | IOException done) {
                      // the file system closed under us: what this test waits for
                    } finally {
                      opening.countDown();
                    }
                  }));
    }
    opening.await();
    fs.close();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(channels).isNotEmpty().allMatch(c -> !c.isOpen());
    assertThat(fs.state().hasResources()).isFalse();
  }
}
