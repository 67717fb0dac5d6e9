package org.rdbss4j.nio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open resources of a file system (channels, streams, directory streams, watch services) and
 * whether it is open, after jimfs's {@code FileSystemState}: {@link #closeAll()} closes every
 * registered resource, and a registration that races the close is never lost — it either fails with
 * {@link ClosedFileSystemException} or is closed by the close loop, which runs until no
 * registration is in flight and none is left.
 */
final class FileSystemState {
  private final Set<Closeable> resources = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicInteger registering = new AtomicInteger();

  boolean isOpen() {
    return open.get();
  }

  /** Throws {@link ClosedFileSystemException} when the file system is closed. */
  void checkOpen() {
    if (!open.get()) {
      throw new ClosedFileSystemException();
    }
  }

  /** Registers a resource to close with the file system. */
  <C extends Closeable> C register(C resource) {
    checkOpen();
    registering.incrementAndGet();
    try {
      checkOpen();
      resources.add(resource);
      return resource;
    } finally {
      registering.decrementAndGet();
    }
  }

  /** Forgets a resource that was closed on its own. */
  void unregister(Closeable resource) {
    resources.remove(resource);
  }

  /** Marks the file system closed; {@code true} for the caller that closed it. */
  boolean markClosed() {
    return open.compareAndSet(true, false);
  }

  /** Whether any resource is registered. */
  boolean hasResources() {
    return !resources.isEmpty();
  }

  /**
   * Closes every registered resource, also those whose registration raced {@link #markClosed()};
   * the first failure is thrown after all are closed, later ones suppressed.
   */
  void closeAll() throws IOException {
    IOException thrown = null;
    do {
      for (Closeable r : resources) {
        try {
          r.close();
        } catch (IOException | RuntimeException e) {
          IOException io = e instanceof IOException i ? i : new IOException(e);
          if (thrown == null) {
            thrown = io;
          } else {
            thrown.addSuppressed(io);
          }
        } finally {
          resources.remove(r);
        }
      }
    } while (registering.get() > 0 || !resources.isEmpty());
    if (thrown != null) {
      throw thrown;
    }
  }
}
