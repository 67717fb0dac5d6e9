package org.rdbss4j.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.net.UnixDomainPrincipal;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.provider.Win32Error;
import org.rdbss4j.service.protocol.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request dispatcher of the control protocol (the service's "IOCTL" handler): checks the
 * version, routes by {@code op}, and turns every fault into an error reply carrying its NTSTATUS
 * and Win32 error. Requests are logged by operation and id only; a password never reaches a log.
 */
public final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);

  private final RdrService service;
  private final CallerIdentity owner;
  private final Runnable stopper;
  private final Instant started = Instant.now();

  /**
   * @param owner the service's own identity, which every accepted peer shares
   * @param stopper stops the service (after the stop reply is sent)
   */
  public Requests(RdrService service, CallerIdentity owner, Runnable stopper) {
    this.service = service;
    this.owner = owner;
    this.stopper = stopper;
  }

  /** The identity of a peer that passed the SO_PEERCRED check (the service's own user). */
  CallerIdentity identityOf(UnixDomainPrincipal peer) {
    return owner;
  }

  void handle(ClientSession s, Map<String, Object> msg) throws IOException {
    Object id = msg.get("id");
    Object v = msg.get("v");
    if (!(v instanceof Long ver) || ver != Protocol.VERSION) {
      s.send(
          Protocol.error(
              id,
              NtStatus.NOT_SUPPORTED,
              "protocol version "
                  + v
                  + " is not supported; rdrd speaks version "
                  + Protocol.VERSION));
      return;
    }
    Object op = msg.get("op");
    LOG.debug("request {} id {}", op, id);
    Args a = new Args(msg);
    try {
      switch (op instanceof String o ? o : "") {
        case Protocol.USE -> s.send(use(s, id, a));
        case Protocol.DELETE -> s.send(delete(s, id, a));
        case Protocol.LIST -> {
          Map<String, Object> r = Protocol.ok(id);
          r.put("connections", service.list(s.identity()));
          s.send(r);
        }
        case Protocol.STATUS -> {
          Map<String, Object> r = Protocol.ok(id);
          r.put("table", StatusReport.build(service));
          s.send(r);
        }
        case Protocol.WATCH -> new Watcher(service).watch(s, id, a);
        case Protocol.COPY -> new Copier(service).copy(s, id, a);
        case Protocol.PING -> s.send(ping(id));
        case Protocol.STOP -> {
          s.send(Protocol.ok(id));
          s.end();
          LOG.info("stop requested by {}", s.identity().userName());
          Thread.ofPlatform().name("rdrd-stop").start(stopper);
        }
        default ->
            s.send(
                Protocol.error(
                    id,
                    NtStatus.INVALID_DEVICE_REQUEST,
                    "unknown request '"
                        + op
                        + "'; known: use, delete, list, status, watch, copy, ping, stop"));
      }
    } catch (RxException e) {
      s.send(Protocol.error(id, e.status(), win32(op, e.status()), e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("request {} failed", op, e);
      s.send(Protocol.error(id, NtStatus.INTERNAL_ERROR, e.toString()));
    }
  }

  /** A delete of a name that is not connected is ERROR_NOT_CONNECTED (2250), as net use says. */
  private static Win32Error win32(Object op, NtStatus s) {
    if (Protocol.DELETE.equals(op) && s == NtStatus.BAD_NETWORK_NAME) {
      return Win32Error.NOT_CONNECTED;
    }
    return Win32Error.fromNtStatus(s);
  }

  private Map<String, Object> use(ClientSession s, Object id, Args a) {
    String password = a.str("password", "");
    long port = a.num("tcpport", 0);
    if (port < 0 || port > 65535) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "tcpport must be 0..65535");
    }
    RdrService.UseRequest r =
        new RdrService.UseRequest(
            emptyToNull(a.str("device", "")),
            a.req("unc"),
            a.str("user", ""),
            a.str("domain", ""),
            password.toCharArray(),
            (int) port,
            a.bool("persistent", false),
            emptyToNull(a.str("mountPoint", "")));
    Map<String, Object> reply = Protocol.ok(id);
    reply.putAll(service.use(s.identity(), r));
    return reply;
  }

  private Map<String, Object> delete(ClientSession s, Object id, Args a) {
    String name = a.req("name");
    long force = a.num("force", 0);
    FinalizeResult r = service.delete(s.identity(), name, force, a.bool("closeTransport", false));
    Map<String, Object> reply =
        r.status() == NtStatus.SUCCESS
            ? Protocol.ok(id)
            : Protocol.error(id, r.status(), "the connection to " + name + " is in use");
    List<Object> unflushed = new ArrayList<>();
    for (FinalizeResult.UnflushedFile u : r.unflushed()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", u.path());
      m.put("status", u.status().name());
      m.put("message", u.message());
      unflushed.add(m);
    }
    reply.put("unflushed", unflushed);
    return reply;
  }

  private Map<String, Object> ping(Object id) {
    Map<String, Object> r = Protocol.ok(id);
    r.put("pid", ProcessHandle.current().pid());
    r.put("home", service.home().dir().toString());
    r.put("user", owner.userName());
    r.put("protocol", Protocol.VERSION);
    r.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
    r.put("connections", service.redirector().connections().size());
    r.put("fuse", service.mounter().available() ? "available" : service.mounter().reason());
    return r;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
