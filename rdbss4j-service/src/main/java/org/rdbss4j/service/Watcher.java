package org.rdbss4j.service;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.service.protocol.Protocol;

/**
 * The watch request: opens the directory and keeps one change notification
 * (IRP_MN_NOTIFY_CHANGE_DIRECTORY) outstanding on its V_NET_ROOT, streaming each batch of events,
 * until the client goes away (the notification is cancelled and the directory closed) or the
 * notification fails, e.g. with STATUS_CANCELLED when a forced delete of the connection cancels it.
 */
final class Watcher {
  private final RdrService service;

  Watcher(RdrService service) {
    this.service = service;
  }

  /**
   * Sends the "watching" message once the first notification is outstanding (the mini-redirector
   * installed its cancel routine), or when the wait is cut short, so that the client knows that no
   * change from then on is missed.
   */
  private static Thread announceWhenPending(
      ClientSession s,
      Object id,
      Map<String, Object> started,
      RxContext ctx,
      AtomicBoolean returned) {
    return Thread.ofVirtual()
        .start(
            () -> {
              long deadline = System.nanoTime() + 5_000_000_000L;
              while (!ctx.hasCancelRoutine() && !returned.get() && System.nanoTime() < deadline) {
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  break;
                }
              }
              try {
                s.send(Protocol.stream(id, "watching", started));
              } catch (IOException e) {
                ctx.cancel();
              }
            });
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void watch(ClientSession s, Object id, Args a) throws IOException {
    String path = a.req("path");
    boolean tree = a.bool("subtree", false);
    FileObject dir = service.open(s.identity(), path, CreateRequest.openDirectory(""));
    if (dir == null) {
      throw new RxException(
          NtStatus.OBJECT_PATH_SYNTAX_BAD,
          "watch needs X:\\dir or \\\\server\\share\\dir: " + path);
    }
    AtomicReference<RxContext> current = new AtomicReference<>();
    AtomicReference<Boolean> gone = new AtomicReference<>(false);
    try {
      s.onClientGone(
          () -> {
            gone.set(true);
            RxContext c = current.get();
            if (c != null) {
              c.cancel();
            }
          });
      Map<String, Object> started = new LinkedHashMap<>();
      started.put("path", path);
      started.put("subtree", tree);
      boolean first = true;
      while (!gone.get()) {
        RxContext ctx = RxContext.of(s.identity());
        current.set(ctx);
        if (gone.get()) {
          break;
        }
        AtomicBoolean returned = new AtomicBoolean();
        Thread announcer = first ? announceWhenPending(s, id, started, ctx, returned) : null;
        List<ChangeEvent> events;
        try {
          events = service.redirector().notifyChangeDirectory(ctx, dir, tree);
        } finally {
          returned.set(true);
          if (announcer != null) {
            join(announcer);
          }
        }
        first = false;
        for (ChangeEvent e : events) {
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("action", e.action().name());
          ev.put("name", e.name());
          s.send(Protocol.stream(id, "event", ev));
        }
      }
    } catch (RxException e) {
      if (!gone.get()) {
        s.send(
            Protocol.error(id, e.status(), "the watch of " + path + " ended: " + e.getMessage()));
      }
    } finally {
      dir.close();
    }
  }
}
