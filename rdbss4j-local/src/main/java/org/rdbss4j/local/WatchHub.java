package org.rdbss4j.local;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link WatchService} (one inotify instance on Linux) shared by all the {@link ChangeWatcher}s
 * of a mini-redirector, so that watching many directories does not use up the per-user instance
 * limit. A virtual thread takes the watch keys and hands each event to the watchers registered on
 * its directory; the service is closed, and the thread ends, when the last registration goes.
 */
final class WatchHub {
  private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);

  /** A watched directory and the watchers interested in it, with the prefix of each. */
  private record Registration(Path dir, WatchKey key, Map<ChangeWatcher, String> watchers) {}

  private final Map<WatchKey, Registration> registrations = new HashMap<>();
  private WatchService service;

  /**
   * Watches {@code dir} for {@code watcher}, which names the directory's entries with {@code
   * prefix} (empty, or a relative path ending in a backslash). Nothing is registered for a watcher
   * already closed, so a registration racing with its close cannot outlive it.
   */
  synchronized void register(Path dir, ChangeWatcher watcher, String prefix) throws IOException {
    if (watcher.isClosed()) {
      return;
    }
    if (service == null) {
      WatchService ws = dir.getFileSystem().newWatchService();
      service = ws;
      Thread.ofVirtual().name("rdbss4j-local-watch").start(() -> dispatch(ws));
    }
    WatchKey key;
    try {
      key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
    } catch (IOException | RuntimeException e) {
      if (registrations.isEmpty()) {
        closeQuietly(service);
        service = null;
      }
      throw e;
    }
    Registration r =
        registrations.computeIfAbsent(key, k -> new Registration(dir, k, new LinkedHashMap<>()));
    r.watchers().put(watcher, prefix);
  }

  /** Forgets every registration of {@code watcher}; closes the service when none is left. */
  void unregister(ChangeWatcher watcher) {
    WatchService toClose = null;
    synchronized (this) {
      for (Iterator<Registration> it = registrations.values().iterator(); it.hasNext(); ) {
        Registration r = it.next();
        if (r.watchers().remove(watcher) != null && r.watchers().isEmpty()) {
          r.key().cancel();
          it.remove();
        }
      }
      if (registrations.isEmpty() && service != null) {
        toClose = service;
        service = null;
      }
    }
    closeQuietly(toClose);
  }

  /** Whether the hub watches anything (for tests and status). */
  synchronized boolean isIdle() {
    return service == null;
  }

  private void dispatch(WatchService ws) {
    while (true) {
      WatchKey key;
      try {
        key = ws.take();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      }
      List<WatchEvent<?>> events = key.pollEvents();
      Registration r;
      List<Map.Entry<ChangeWatcher, String>> targets;
      synchronized (this) {
        r = registrations.get(key);
        targets = r == null ? List.of() : new ArrayList<>(r.watchers().entrySet());
      }
      for (Map.Entry<ChangeWatcher, String> t : targets) {
        try {
          t.getKey().onEvents(r.dir(), t.getValue(), events);
        } catch (RuntimeException e) {
          LOG.warn("change notification for {} failed", r.dir(), e);
        }
      }
      if (!key.reset()) {
        forget(key);
      }
    }
  }

  /** A directory that is gone (its key invalid): drop its registration. */
  private void forget(WatchKey key) {
    WatchService toClose = null;
    synchronized (this) {
      if (registrations.remove(key) != null && registrations.isEmpty() && service != null) {
        toClose = service;
        service = null;
      }
    }
    closeQuietly(toClose);
  }

  private static void closeQuietly(WatchService ws) {
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service failed", e);
      }
    }
  }
}
