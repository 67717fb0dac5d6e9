package org.rdbss4j.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snapshot of what the private smbd reports through {@code smbstatus}: the authenticated SMB
 * sessions and the tree connects on them.
 *
 * <p>Recent Samba (4.17 here) prints JSON ({@code smbstatus --json}), which carries session and
 * tree connect ids; older versions are read from the plain {@code -b} and {@code -S} tables, where
 * a tree connect is tied to its session only by the serving smbd's pid and ids are {@code null}.
 *
 * @param sessions the SMB sessions, one per successful SESSION_SETUP still alive
 * @param treeConnects the tree connects, one per share a session has open
 */
public record SmbStatus(List<Session> sessions, List<TreeConnect> treeConnects) {

  private static final Pattern PLAIN_SESSION =
      Pattern.compile("^(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\((\\S+)\\)\\s+(\\S+).*$");
  private static final Pattern PLAIN_TCON = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+.*$");

  /** Copies the lists. */
  public SmbStatus {
    sessions = List.copyOf(sessions);
    treeConnects = List.copyOf(treeConnects);
  }

  /**
   * One authenticated SMB session.
   *
   * @param sessionId Samba's session id (the SMB2 SessionId as a decimal), or null from plain
   *     output
   * @param serverPid the pid of the smbd child that serves the client's TCP connection
   * @param uid the Unix uid the session runs as, or -1 when unknown (plain output)
   * @param username the Unix user name
   * @param remoteMachine the client's address as smbstatus names the machine
   * @param clientAddress the client's TCP endpoint, e.g. {@code ipv4:127.0.0.1:43048}
   * @param clientPort the client's TCP port, parsed from {@code clientAddress}, or -1
   * @param dialect the negotiated dialect, e.g. {@code SMB3_11}
   * @param signing the session's signing algorithm as Samba names it (e.g. {@code AES-128-GMAC}),
   *     "-" when it signs nothing, or null from plain output
   */
  public record Session(
      String sessionId,
      long serverPid,
      int uid,
      String username,
      String remoteMachine,
      String clientAddress,
      int clientPort,
      String dialect,
      String signing) {}

  /**
   * One tree connect (an open share) of a session.
   *
   * @param share the share name
   * @param tconId Samba's tree connect id, or null from plain output
   * @param sessionId the owning session's id, or null from plain output
   * @param serverPid the pid of the smbd child that serves the connection
   * @param machine the client machine
   */
  public record TreeConnect(
      String share, String tconId, String sessionId, long serverPid, String machine) {}

  /**
   * The number of distinct client TCP connections that carry at least one session, counted by
   * client endpoint (address and port). A connection that has not finished SESSION_SETUP is not
   * counted; {@link SambaServer#establishedConnectionCount()} counts sockets instead.
   */
  public int tcpConnectionCount() {
    Set<String> endpoints = new LinkedHashSet<>();
    for (Session session : sessions) {
      endpoints.add(session.clientAddress());
    }
    return endpoints.size();
  }

  /** The sessions of one user. */
  public List<Session> sessionsOf(String username) {
    return sessions.stream().filter(s -> s.username().equals(username)).toList();
  }

  /**
   * The tree connects of one session, matched by session id, or by smbd pid when ids are absent.
   */
  public List<TreeConnect> treeConnectsOf(Session session) {
    return treeConnects.stream()
        .filter(
            t ->
                session.sessionId() != null && t.sessionId() != null
                    ? t.sessionId().equals(session.sessionId())
                    : t.serverPid() == session.serverPid())
        .toList();
  }

  /** The names of the shares any session has open, in report order, with duplicates. */
  public List<String> connectedShares() {
    return treeConnects.stream().map(TreeConnect::share).toList();
  }

  /** Parses the output of {@code smbstatus --json}. */
  static SmbStatus parseJson(String json) {
    Map<String, Object> root = map(Json.parse(json));
    List<Session> sessions = new ArrayList<>();
    for (Object value : map(root.getOrDefault("sessions", Map.of())).values()) {
      Map<String, Object> s = map(value);
      String hostname = string(s.get("hostname"));
      sessions.add(
          new Session(
              string(s.get("session_id")),
              serverPid(s),
              number(s.get("uid"), -1),
              string(s.get("username")),
              string(s.get("remote_machine")),
              hostname,
              portOf(hostname),
              string(s.get("session_dialect")),
              s.get("signing") instanceof Map<?, ?> sig ? string(sig.get("cipher")) : null));
    }
    List<TreeConnect> tcons = new ArrayList<>();
    for (Object value : map(root.getOrDefault("tcons", Map.of())).values()) {
      Map<String, Object> t = map(value);
      tcons.add(
          new TreeConnect(
              string(t.get("service")),
              string(t.get("tcon_id")),
              string(t.get("session_id")),
              serverPid(t),
              string(t.get("machine"))));
    }
    return new SmbStatus(sessions, tcons);
  }

  /** Parses the plain tables of {@code smbstatus -b} (sessions) and {@code smbstatus -S}. */
  static SmbStatus parsePlain(String brief, String shares) {
    List<Session> sessions = new ArrayList<>();
    for (String line : brief.split("\n")) {
      Matcher m = PLAIN_SESSION.matcher(line.strip());
      if (m.matches()) {
        sessions.add(
            new Session(
                null,
                Long.parseLong(m.group(1)),
                -1,
                m.group(2),
                m.group(4),
                m.group(5),
                portOf(m.group(5)),
                m.group(6),
                null));
      }
    }
    List<TreeConnect> tcons = new ArrayList<>();
    boolean table = false;
    for (String line : shares.split("\n")) {
      if (line.startsWith("-----")) {
        table = true;
        continue;
      }
      Matcher m = PLAIN_TCON.matcher(line.strip());
      if (table && m.matches()) {
        tcons.add(new TreeConnect(m.group(1), null, null, Long.parseLong(m.group(2)), m.group(3)));
      }
    }
    return new SmbStatus(sessions, tcons);
  }

  /** The port of an endpoint such as {@code ipv4:127.0.0.1:43048}, or -1. */
  static int portOf(String endpoint) {
    if (endpoint == null) {
      return -1;
    }
    int colon = endpoint.lastIndexOf(':');
    try {
      return colon < 0 ? -1 : Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long serverPid(Map<String, Object> entry) {
    Object serverId = entry.get("server_id");
    if (serverId instanceof Map<?, ?> id) {
      return number(id.get("pid"), -1);
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    if (value instanceof Map<?, ?>) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException("expected a JSON object, got " + value);
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }

  private static int number(Object value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(Objects.toString(value));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
