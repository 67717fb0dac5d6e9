package org.rdbss4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of smbstatus reports as printed by Samba 4.17.12 (Debian 12). */
class SmbStatusTest {
  private static final String JSON =
      """
      {"timestamp": "2026-11-23T20:44:43.838647+0000", "version": "4.17.12-Debian",
       "smb_conf": "/tmp/x/smb.conf",
       "sessions": {
        "2126892365": {"session_id": "2126892365", "server_id": {"pid": "3342", "task_id": "0",
          "vnn": "4294967295", "unique_id": "16888488093460512911"}, "uid": 999, "gid": 994,
          "username": "alice", "groupname": "alice", "remote_machine": "127.0.0.1",
          "hostname": "ipv4:127.0.0.1:43048", "session_dialect": "SMB3_11",
          "encryption": {"cipher": "-", "degree": "none"},
          "signing": {"cipher": "AES-128-GMAC", "degree": "partial"}},
        "898664863": {"session_id": "898664863", "server_id": {"pid": "3341", "task_id": "0",
          "vnn": "4294967295", "unique_id": "8506128210892439550"}, "uid": 998, "gid": 993,
          "username": "bob", "groupname": "bob", "remote_machine": "127.0.0.1",
          "hostname": "ipv4:127.0.0.1:43046", "session_dialect": "SMB3_11",
          "encryption": {"cipher": "-", "degree": "none"},
          "signing": {"cipher": "AES-128-GMAC", "degree": "partial"}}},
       "tcons": {
        "3880254272": {"service": "rw", "server_id": {"pid": "3342", "task_id": "0",
          "vnn": "4294967295", "unique_id": "16888488093460512911"}, "tcon_id": "3880254272",
          "session_id": "2126892365", "machine": "127.0.0.1",
          "connected_at": "2026-11-23T20:44:41.844277+00:00",
          "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}},
        "433815731": {"service": "ro", "server_id": {"pid": "3341", "task_id": "0",
          "vnn": "4294967295", "unique_id": "8506128210892439550"}, "tcon_id": "433815731",
          "session_id": "898664863", "machine": "127.0.0.1",
          "connected_at": "2026-11-23T20:44:41.844341+00:00",
          "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}},
       "open_files": {}}
      """;

  private static final String BRIEF =
      """

      Samba version 4.17.12-Debian
      PID     Username     Group        Machine                                   Protocol Version  Encryption           Signing             \s
      ----------------------------------------------------------------------------------------------------------------------------------------
      3342    alice        alice        127.0.0.1 (ipv4:127.0.0.1:43048)          SMB3_11           -                    partial(AES-128-GMAC)
      3341    bob          bob          127.0.0.1 (ipv4:127.0.0.1:43046)          SMB3_11           -                    partial(AES-128-GMAC)

      """;

  private static final String SHARES =
      """

      Service      pid     Machine       Connected at                     Encryption   Signing    \s
      ---------------------------------------------------------------------------------------------
      rw           3342    127.0.0.1     Mon Nov 23 20:44:42 2026 UTC     -            -          \s
      ro           3341    127.0.0.1     Mon Nov 23 20:44:42 2026 UTC     -            -          \s

      """;

  @Test
  void parsesJsonSessionsAndTreeConnects() {
    SmbStatus status = SmbStatus.parseJson(JSON);

    assertThat(status.sessions()).hasSize(2);
    SmbStatus.Session alice = status.sessionsOf("alice").getFirst();
    assertThat(alice)
        .isEqualTo(
            new SmbStatus.Session(
                "2126892365",
                3342,
                999,
                "alice",
                "127.0.0.1",
                "ipv4:127.0.0.1:43048",
                43048,
                "SMB3_11",
                "AES-128-GMAC"));
    assertThat(status.treeConnectsOf(alice))
        .containsExactly(
            new SmbStatus.TreeConnect("rw", "3880254272", "2126892365", 3342, "127.0.0.1"));
    assertThat(status.connectedShares()).containsExactly("rw", "ro");
    assertThat(status.tcpConnectionCount()).isEqualTo(2);
  }

  @Test
  void parsesAnIdleServer() {
    SmbStatus status =
        SmbStatus.parseJson(
            "{\"timestamp\": \"t\", \"version\": \"4.17.12-Debian\", \"sessions\": {},"
                + " \"tcons\": {}, \"open_files\": {}}");
    assertThat(status.sessions()).isEmpty();
    assertThat(status.treeConnects()).isEmpty();
    assertThat(status.tcpConnectionCount()).isZero();
  }

  @Test
  void parsesPlainTablesOfOlderSamba() {
    SmbStatus status = SmbStatus.parsePlain(BRIEF, SHARES);

    assertThat(status.sessions())
        .containsExactly(
            new SmbStatus.Session(
                null,
                3342,
                -1,
                "alice",
                "127.0.0.1",
                "ipv4:127.0.0.1:43048",
                43048,
                "SMB3_11",
                null),
            new SmbStatus.Session(
                null,
                3341,
                -1,
                "bob",
                "127.0.0.1",
                "ipv4:127.0.0.1:43046",
                43046,
                "SMB3_11",
                null));
    SmbStatus.Session bob = status.sessionsOf("bob").getFirst();
    assertThat(status.treeConnectsOf(bob))
        .containsExactly(new SmbStatus.TreeConnect("ro", null, null, 3341, "127.0.0.1"));
    assertThat(status.tcpConnectionCount()).isEqualTo(2);
  }

  @Test
  void jsonReaderHandlesEscapesNumbersAndLiterals() {
    Object value =
        Json.parse("{\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\\"\\u00e9\\n\"}");
    assertThat(value).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) value;
    @SuppressWarnings("unchecked")
    List<Object> array = (List<Object>) map.get("a");
    assertThat(array).hasSize(5).containsSequence(true, false, null);
    assertThat(array.get(1).toString()).isEqualTo("-2.5E+3");
    assertThat(map.get("b")).isEqualTo("x\"é\n");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1} x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void portOfReadsTheLastField() {
    assertThat(SmbStatus.portOf("ipv4:127.0.0.1:43048")).isEqualTo(43048);
    assertThat(SmbStatus.portOf("ipv6:::1:445")).isEqualTo(445);
    assertThat(SmbStatus.portOf("127.0.0.1")).isEqualTo(-1);
    assertThat(SmbStatus.portOf(null)).isEqualTo(-1);
  }
}
