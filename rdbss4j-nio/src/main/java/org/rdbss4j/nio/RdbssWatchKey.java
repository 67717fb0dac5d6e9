package org.rdbss4j.nio;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.RxContext;

/**
 * The watch of one directory: an open directory handle and a virtual thread that keeps one change
 * notification outstanding on it (IRP_MN_NOTIFY_CHANGE_DIRECTORY), turning each batch the server
 * completes into events. Nothing polls: the thread sleeps in the request until the server answers.
 * {@link #cancel()} cancels the outstanding request through its {@link RxContext} and closes the
 * handle. Event bookkeeping (signalled state, repeated events counted, OVERFLOW past {@value
 * #MAX_EVENTS}) follows the JDK's {@code AbstractWatchKey}.
 */
final class RdbssWatchKey implements WatchKey {
  static final int MAX_EVENTS = 512;

  /** How long {@link #start()} pauses between looks at whether the first notify is pending. */
  private static final long STARTUP_PAUSE_NANOS = 100_000;

  private final RdbssWatchService service;
  private final RdbssPath dir;
  private final FileObject handle;
  private volatile Set<WatchEvent.Kind<?>> kinds;
  private List<Event<?>> events = new ArrayList<>();
  private boolean signalled;
  private volatile boolean valid = true;
  private RxContext outstanding;
  private Thread thread;

  /** Set when the first notify request has returned, whatever its outcome. */
  private volatile boolean firstReturned;

  RdbssWatchKey(
      RdbssWatchService service, RdbssPath dir, FileObject handle, Set<WatchEvent.Kind<?>> kinds) {
    this.service = service;
    this.dir = dir;
    this.handle = handle;
    this.kinds = kinds;
  }

  /** Starts the notify loop; returns once its first request is outstanding (or ended). */
  void start() {
    RxContext first = dir.getFileSystem().session().context();
    synchronized (this) {
      outstanding = first;
    }
    thread = Thread.ofVirtual().name("rdbss4j-watch " + dir).start(() -> loop(first));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!firstReturned && !first.hasCancelRoutine() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(STARTUP_PAUSE_NANOS);
    }
  }

  void setKinds(Set<WatchEvent.Kind<?>> kinds) {
    this.kinds = kinds;
  }

  private void loop(RxContext first) {
    ShareSession s = dir.getFileSystem().session();
    RxContext ctx = first;
    while (true) {
      List<ChangeEvent> batch;
      try {
        batch = s.redirector().notifyChangeDirectory(ctx, handle, false);
        firstReturned = true;
      } catch (RuntimeException e) {
        firstReturned = true;
        if (valid) {
          // the directory or its connection went away: the key ends, as when a watched
          // directory is deleted
          cancel();
          signal();
        }
        return;
      }
      for (ChangeEvent e : batch) {
        post(e);
      }
      ctx = s.context();
      synchronized (this) {
        if (!valid) {
          return;
        }
        outstanding = ctx;
      }
    }
  }

  private void post(ChangeEvent e) {
    WatchEvent.Kind<Path> kind =
        switch (e.action()) {
          case ADDED, RENAMED_NEW_NAME -> ENTRY_CREATE;
          case REMOVED, RENAMED_OLD_NAME -> ENTRY_DELETE;
          case MODIFIED -> ENTRY_MODIFY;
          case OVERFLOW -> null;
        };
    if (kind == null) {
      add(OVERFLOW, null);
    } else if (kinds.contains(kind)) {
      add(kind, dir.getFileSystem().getPath(e.name()));
    }
  }

  private <T> void add(WatchEvent.Kind<T> kind, T context) {
    synchronized (this) {
      if (!events.isEmpty()) {
        Event<?> last = events.getLast();
        if (last.kind == OVERFLOW || (last.kind == kind && Objects.equals(last.context, context))) {
          last.count++;
          signal();
          return;
        }
      }
      if (kind == OVERFLOW || events.size() >= MAX_EVENTS) {
        events.clear();
        events.add(new Event<>(OVERFLOW, null));
      } else {
        events.add(new Event<>(kind, context));
      }
    }
    signal();
  }

  private void signal() {
    synchronized (this) {
      if (signalled) {
        return;
      }
      signalled = true;
    }
    service.enqueue(this);
  }

  @Override
  public boolean isValid() {
    return valid;
  }

  @Override
  public synchronized List<WatchEvent<?>> pollEvents() {
    List<WatchEvent<?>> out = List.copyOf(events);
    events = new ArrayList<>();
    return out;
  }

  @Override
  public boolean reset() {
    boolean requeue;
    synchronized (this) {
      if (!valid) {
        return false;
      }
      if (!signalled) {
        return true;
      }
      signalled = !events.isEmpty();
      requeue = signalled;
    }
    if (requeue) {
      service.enqueue(this);
    }
    return true;
  }

  /** Cancels the outstanding notify (its RX_CONTEXT) and closes the directory handle. */
  @Override
  public void cancel() {
    RxContext c;
    synchronized (this) {
      if (!valid) {
        return;
      }
      valid = false;
      c = outstanding;
    }
    if (c != null) {
      c.cancel();
    }
    handle.close();
    service.forget(this);
  }

  /** Waits for the notify thread to end (after {@link #cancel()}). */
  void awaitEnd() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Override
  public RdbssPath watchable() {
    return dir;
  }

  /** One event; repeated ones raise the count. */
  private static final class Event<T> implements WatchEvent<T> {
    private final Kind<T> kind;
    private final T context;
    private int count = 1;

    Event(Kind<T> kind, T context) {
      this.kind = kind;
      this.context = context;
    }

    @Override
    public Kind<T> kind() {
      return kind;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public T context() {
      return context;
    }

    @Override
    public String toString() {
      return kind + " " + context + (count > 1 ? " x" + count : "");
    }
  }
}
