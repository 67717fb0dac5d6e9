package org.rdbss4j.service.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.provider.Win32Error;

/**
 * Names and reply shapes of the control protocol, version {@value #VERSION}: every request and
 * reply is a JSON object with {@code "v"} (the version) and {@code "id"} (echoed back); requests
 * name their operation in {@code "op"}. See {@code docs/control-protocol.md}.
 */
public final class Protocol {
  /** The protocol version this side speaks. */
  public static final int VERSION = 1;

  /** Add a connection (net use). */
  public static final String USE = "use";

  /** Delete a connection (net use /delete). */
  public static final String DELETE = "delete";

  /** List connections. */
  public static final String LIST = "list";

  /** The live object table. */
  public static final String STATUS = "status";

  /** Stream change notifications of a directory. */
  public static final String WATCH = "watch";

  /** Copy a file, streaming progress. */
  public static final String COPY = "copy";

  /** The service's own state: pid, home, version. */
  public static final String PING = "ping";

  /** Stop the service. */
  public static final String STOP = "stop";

  private Protocol() {}

  /** A request with the version and id filled in. */
  public static Map<String, Object> request(String op, long id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("id", id);
    m.put("op", op);
    return m;
  }

  /** A successful final reply. */
  public static Map<String, Object> ok(Object id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("id", id);
    m.put("ok", true);
    m.put("status", NtStatus.SUCCESS.name());
    return m;
  }

  /** An error reply carrying the NTSTATUS and the Win32 error {@code net use} would print. */
  public static Map<String, Object> error(
      Object id, NtStatus status, Win32Error win32, String msg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("id", id);
    m.put("ok", false);
    m.put("status", status.name());
    m.put("ntstatus", String.format("0x%08X", status.code()));
    m.put("win32", win32.code());
    m.put("message", msg == null ? "" : msg);
    return m;
  }

  /** An error reply with the Win32 error that RtlNtStatusToDosError gives the status. */
  public static Map<String, Object> error(Object id, NtStatus status, String msg) {
    return error(id, status, Win32Error.fromNtStatus(status), msg);
  }

  /** An intermediate (streamed) message of a request: a change event or copy progress. */
  public static Map<String, Object> stream(Object id, String kind, Object body) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("id", id);
    m.put(kind, body);
    return m;
  }

  /** Whether a message is a final reply (as opposed to a streamed one). */
  public static boolean isFinal(Map<String, Object> m) {
    return m.containsKey("ok");
  }
}
