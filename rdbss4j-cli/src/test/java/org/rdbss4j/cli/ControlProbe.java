package org.rdbss4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.rdbss4j.service.protocol.ControlClient;

/** Sends malformed, oversized, wrong-version and unknown requests straight to rdrd's socket. */
final class ControlProbe {
  private ControlProbe() {}

  private static byte[] frame(String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + p.length).putInt(p.length).put(p).array();
  }

  private static Map<String, Object> send(ControlClient c, byte[] raw) throws Exception {
    c.writeRaw(raw);
    Map<String, Object> r = c.read();
    assertThat(r).isNotNull();
    assertThat(r.get("ok")).isEqualTo(false);
    return r;
  }

  static void garbage(Path socket) throws Exception {
    try (ControlClient c = ControlClient.connect(socket)) {
      assertThat(send(c, frame("this is not json")).get("status")).isEqualTo("INVALID_PARAMETER");
      assertThat(send(c, frame("[1,2,3]")).get("status")).isEqualTo("INVALID_PARAMETER");
      byte[] badUtf8 = {0, 0, 0, 3, '{', (byte) 0xFF, '}'};
      assertThat(send(c, badUtf8).get("status")).isEqualTo("INVALID_PARAMETER");
      assertThat(send(c, frame("{\"v\":2,\"id\":1,\"op\":\"list\"}")).get("status"))
          .isEqualTo("NOT_SUPPORTED");
      assertThat(send(c, frame("{\"v\":1,\"id\":2,\"op\":\"format-c\"}")).get("status"))
          .isEqualTo("INVALID_DEVICE_REQUEST");
      Map<String, Object> r =
          send(c, frame("{\"v\":1,\"id\":3,\"op\":\"delete\",\"name\":\"Z:\",\"force\":\"yes\"}"));
      assertThat(r.get("status")).isEqualTo("INVALID_PARAMETER");
      r = send(c, frame("{\"v\":1,\"id\":4,\"op\":\"delete\",\"name\":\"Z:\",\"force\":7}"));
      assertThat(r.get("status")).isEqualTo("INVALID_PARAMETER");
      assertThat(r.get("win32")).isEqualTo(87L);
      r = send(c, frame("{\"v\":1,\"id\":5,\"op\":\"delete\",\"name\":\"Z:\",\"force\":0}"));
      assertThat(r.get("win32")).isEqualTo(2250L);
      assertThat(c.call(c.request("ping")).get("ok")).isEqualTo(true);
      c.writeRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertThat(c.read().get("status")).isEqualTo("INVALID_PARAMETER");
      assertThat(c.read()).isNull();
    }
    try (ControlClient c = ControlClient.connect(socket)) {
      c.writeRaw(new byte[] {0, 0});
    }
    try (ControlClient c = ControlClient.connect(socket)) {
      assertThat(c.call(c.request("list")).get("ok")).isEqualTo(true);
    }
  }
}
