package org.rdbss4j.nio;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;

/**
 * A watch service of one file system, fed by the server's change notifications: each registered
 * directory is an {@link RdbssWatchKey} with one notify request always outstanding on a virtual
 * thread. {@link #close()} cancels every key — and so every outstanding request — and wakes the
 * threads waiting in {@link #take()} with {@link ClosedWatchServiceException}. Registered with its
 * file system, so closing the file system closes it.
 */
final class RdbssWatchService implements WatchService {
  private static final Set<WatchEvent.Kind<?>> KINDS =
      Set.of(ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);

  /** Queued by close to wake every taker. */
  private static final WatchKey CLOSED = new ClosedKey();

  private final RdbssFileSystem fs;
  private final LinkedBlockingDeque<WatchKey> signalled = new LinkedBlockingDeque<>();
  private final Map<RdbssPath, RdbssWatchKey> keys = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RdbssWatchService(RdbssFileSystem fs) {
    this.fs = fs;
  }

  RdbssFileSystem fileSystem() {
    return fs;
  }

  /** Path.register: a new key for the directory, or its existing key with the new kinds. */
  synchronized WatchKey register(
      RdbssPath dir, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
      throws IOException {
    checkOpen();
    if (modifiers.length > 0) {
      throw new UnsupportedOperationException("no watch modifiers are supported on a share");
    }
    Set<WatchEvent.Kind<?>> kinds = new HashSet<>();
    for (WatchEvent.Kind<?> k : events) {
      if (!KINDS.contains(k)) {
        throw new UnsupportedOperationException("unsupported event kind: " + k);
      }
      kinds.add(k);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no event kinds to watch");
    }
    RdbssPath key = dir.toAbsolutePath().normalize();
    RdbssWatchKey existing = keys.get(key);
    if (existing != null && existing.isValid()) {
      existing.setKinds(Set.copyOf(kinds));
      return existing;
    }
    FileObject handle = fs.session().open(key, CreateRequest.openDirectory(""));
    RdbssWatchKey k = new RdbssWatchKey(this, dir, handle, Set.copyOf(kinds));
    keys.put(key, k);
    k.start();
    return k;
  }

  void enqueue(RdbssWatchKey k) {
    if (!closed) {
      signalled.add(k);
    }
  }

  void forget(RdbssWatchKey k) {
    keys.remove(k.watchable().toAbsolutePath().normalize(), k);
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedWatchServiceException();
    }
  }

  private WatchKey check(WatchKey k) {
    if (k == CLOSED) {
      signalled.addFirst(CLOSED);
      throw new ClosedWatchServiceException();
    }
    return k;
  }

  @Override
  public WatchKey poll() {
    checkOpen();
    WatchKey k = signalled.poll();
    return k == null ? null : check(k);
  }

  @Override
  public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
    checkOpen();
    WatchKey k = signalled.poll(timeout, unit);
    return k == null ? null : check(k);
  }

  @Override
  public WatchKey take() throws InterruptedException {
    checkOpen();
    return check(signalled.take());
  }

  /** Cancels every key (each outstanding notify) and waits for their threads to end. */
  @Override
  public void close() throws IOException {
    List<RdbssWatchKey> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(keys.values());
    }
    for (RdbssWatchKey k : all) {
      k.cancel();
    }
    try {
      for (RdbssWatchKey k : all) {
        k.awaitEnd();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signalled.clear();
    signalled.add(CLOSED);
    fs.unregister(this);
  }

  /** The marker of a closed service. */
  private static final class ClosedKey implements WatchKey {
    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public List<WatchEvent<?>> pollEvents() {
      return List.of();
    }

    @Override
    public boolean reset() {
      return false;
    }

    @Override
    public void cancel() {}

    @Override
    public java.nio.file.Watchable watchable() {
      return null;
    }
  }
}
