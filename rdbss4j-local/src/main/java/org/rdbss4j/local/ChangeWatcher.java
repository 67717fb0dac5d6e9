package org.rdbss4j.local;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * The change notification state of one directory SRV_OPEN, fed by the file system (a {@link
 * WatchHub}, inotify on Linux), never by polling. Started by the first notify request; from then on
 * it buffers the changes between requests, as an SMB server does, so that none is lost while the
 * caller is busy. A request completes at once with the buffered changes, or with the next ones. A
 * lost event (the watch service's OVERFLOW, or a full buffer) is reported as a single {@link
 * ChangeEvent.Action#OVERFLOW}: re-list the directory. With a watch of the tree, every subdirectory
 * is watched, newly created ones included; symbolic links are not followed.
 */
final class ChangeWatcher {
  /** The changes kept between two requests before reporting OVERFLOW. */
  static final int MAX_BUFFERED = 4096;

  private final WatchHub hub;
  private final Path root;
  private final List<ChangeEvent> buffer = new ArrayList<>();
  private final Deque<CompletableFuture<List<ChangeEvent>>> waiters = new ArrayDeque<>();
  private boolean overflow;
  private boolean tree;
  private boolean closed;

  ChangeWatcher(WatchHub hub, Path root) {
    this.hub = hub;
    this.root = root;
  }

  /** Starts watching the directory, and its tree when asked. */
  void start(boolean watchTree) throws IOException {
    hub.register(root, this, "");
    if (watchTree) {
      watchTree();
    }
  }

  /** Extends the watch to every subdirectory. */
  void watchTree() throws IOException {
    synchronized (this) {
      if (tree || closed) {
        return;
      }
      tree = true;
    }
    registerTree(root, false);
  }

  /**
   * The next batch of changes: completes at once when changes are buffered, else when the next
   * arrive; the cancel routine installed on {@code ctx} completes it with CANCELLED.
   */
  CompletableFuture<List<ChangeEvent>> next(RxContext ctx) {
    CompletableFuture<List<ChangeEvent>> f = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new RxException(NtStatus.CANCELLED, "directory handle closed"));
      }
      if (overflow || !buffer.isEmpty()) {
        return CompletableFuture.completedFuture(takeBatch());
      }
      waiters.add(f);
    }
    ctx.setCancelRoutine(() -> withdraw(f));
    return f;
  }

  /** Events of a watched directory, {@code prefix} naming it relative to the watched root. */
  void onEvents(Path dir, String prefix, List<WatchEvent<?>> events) {
    List<ChangeEvent> found = new ArrayList<>();
    boolean lost = false;
    for (WatchEvent<?> e : events) {
      if (e.kind() == OVERFLOW) {
        lost = true;
        continue;
      }
      Path child = (Path) e.context();
      String name = prefix + child;
      ChangeEvent.Action action =
          e.kind() == ENTRY_CREATE
              ? ChangeEvent.Action.ADDED
              : e.kind() == ENTRY_DELETE ? ChangeEvent.Action.REMOVED : ChangeEvent.Action.MODIFIED;
      found.add(new ChangeEvent(action, name));
      if (action == ChangeEvent.Action.ADDED && isTree()) {
        Path sub = dir.resolve(child);
        if (Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
          try {
            found.addAll(registerTree(sub, true));
          } catch (IOException ex) {
            lost = true;
          }
        }
      }
    }
    deliver(found, lost);
  }

  /** Stops watching; a request still waiting completes with CANCELLED. */
  void close() {
    List<CompletableFuture<List<ChangeEvent>>> pending;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending = new ArrayList<>(waiters);
      waiters.clear();
      buffer.clear();
    }
    hub.unregister(this);
    for (CompletableFuture<List<ChangeEvent>> f : pending) {
      f.completeExceptionally(new RxException(NtStatus.CANCELLED, "directory handle closed"));
    }
  }

  private synchronized boolean isTree() {
    return tree && !closed;
  }

  /** Whether {@link #close()} has run; the hub registers nothing more for a closed watcher. */
  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Registers {@code start} and every directory below it (links not followed); when {@code
   * reportContents}, returns an ADDED event for each entry found, since entries made before the
   * registration produce no event of their own.
   */
  private List<ChangeEvent> registerTree(Path start, boolean reportContents) throws IOException {
    List<ChangeEvent> added = new ArrayList<>();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            if (!d.equals(root)) {
              try {
                hub.register(d, ChangeWatcher.this, relative(d) + "\\");
              } catch (NoSuchFileException | NotDirectoryException gone) {
                return FileVisitResult.SKIP_SUBTREE;
              }
            }
            if (reportContents && !d.equals(start)) {
              added.add(new ChangeEvent(ChangeEvent.Action.ADDED, relative(d)));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
            if (reportContents) {
              added.add(new ChangeEvent(ChangeEvent.Action.ADDED, relative(f)));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return added;
  }

  private String relative(Path p) {
    StringBuilder b = new StringBuilder();
    for (Path c : root.relativize(p)) {
      if (!b.isEmpty()) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private void deliver(List<ChangeEvent> events, boolean lost) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (lost) {
        overflow = true;
        buffer.clear();
      } else if (!overflow) {
        for (ChangeEvent e : events) {
          if (buffer.isEmpty() || !buffer.getLast().equals(e)) {
            buffer.add(e);
          }
        }
        if (buffer.size() > MAX_BUFFERED) {
          overflow = true;
          buffer.clear();
        }
      }
    }
    while (true) {
      CompletableFuture<List<ChangeEvent>> waiter;
      List<ChangeEvent> batch;
      synchronized (this) {
        if (waiters.isEmpty() || (!overflow && buffer.isEmpty())) {
          return;
        }
        waiter = waiters.poll();
        batch = takeBatch();
      }
      if (waiter.complete(batch)) {
        return;
      }
      requeue(batch);
    }
  }

  /** A batch whose request was completed otherwise meanwhile goes back to the buffer's front. */
  private void requeue(List<ChangeEvent> batch) {
    synchronized (this) {
      if (batch.size() == 1 && batch.getFirst().action() == ChangeEvent.Action.OVERFLOW) {
        overflow = true;
        buffer.clear();
      } else if (!overflow) {
        buffer.addAll(0, batch);
      }
    }
  }

  private List<ChangeEvent> takeBatch() {
    List<ChangeEvent> batch =
        overflow ? List.of(new ChangeEvent(ChangeEvent.Action.OVERFLOW, "")) : List.copyOf(buffer);
    overflow = false;
    buffer.clear();
    return batch;
  }

  private void withdraw(CompletableFuture<List<ChangeEvent>> f) {
    boolean removed;
    synchronized (this) {
      removed = waiters.remove(f);
    }
    if (removed) {
      f.completeExceptionally(new RxException(NtStatus.CANCELLED, "change notify cancelled"));
    }
  }
}
