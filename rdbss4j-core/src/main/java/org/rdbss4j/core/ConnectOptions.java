package org.rdbss4j.core;

import java.util.Map;

/**
 * Options of a connection, passed to the mini-redirector: the TCP port ({@code /TCPPORT:}), a
 * persistent flag for the service, and mini-redirector specific settings.
 *
 * @param port the TCP port, 0 for the protocol's default
 * @param persistent restore this connection when the service restarts
 * @param settings mini-redirector specific settings (never secrets)
 */
public record ConnectOptions(int port, boolean persistent, Map<String, String> settings) {
  public ConnectOptions {
    if (port < 0 || port > 65535) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "TCP port out of range: " + port);
    }
    settings = Map.copyOf(settings);
  }

  public static ConnectOptions defaults() {
    return new ConnectOptions(0, false, Map.of());
  }

  public static ConnectOptions port(int port) {
    return new ConnectOptions(port, false, Map.of());
  }

  public ConnectOptions withPersistent(boolean p) {
    return new ConnectOptions(port, p, settings);
  }
}
