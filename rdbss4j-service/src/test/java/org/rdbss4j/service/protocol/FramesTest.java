package org.rdbss4j.service.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {
  private static Map<String, Object> roundTrip(Map<String, Object> m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.write(Channels.newChannel(out), m);
    return Frames.read(Channels.newChannel(new ByteArrayInputStream(out.toByteArray())));
  }

  private static Map<String, Object> readRaw(byte[] payload, int length) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length).putInt(length).put(payload);
    return Frames.read(Channels.newChannel(new ByteArrayInputStream(b.array())));
  }

  @Test
  void roundTripsNestedValuesAndEscapes() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1L);
    m.put("s", "a\\b \"q\" \n\t\u0001 é ✓");
    m.put("list", List.of(1L, -2L, true, false, 2.5));
    m.put("n", null);
    m.put("o", Map.of("k", "v"));
    assertThat(roundTrip(m)).isEqualTo(m);
  }

  @Test
  void refusesBadLengthsAsFatal() {
    assertThatThrownBy(() -> readRaw(new byte[0], 0))
        .isInstanceOfSatisfying(Frames.FrameException.class, e -> assertThat(e.fatal()).isTrue());
    assertThatThrownBy(() -> readRaw(new byte[0], Frames.MAX_FRAME + 1))
        .isInstanceOfSatisfying(Frames.FrameException.class, e -> assertThat(e.fatal()).isTrue());
  }

  @Test
  void refusesMalformedPayloadsWithoutLosingStep() {
    for (String bad : List.of("{", "[1,2]", "{\"a\":}", "{\"a\":1}x", "{\"a\":tru}", "{'a':1}")) {
      byte[] p = bad.getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> readRaw(p, p.length))
          .as(bad)
          .isInstanceOfSatisfying(
              Frames.FrameException.class, e -> assertThat(e.fatal()).isFalse());
    }
    byte[] notUtf8 = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
    assertThatThrownBy(() -> readRaw(notUtf8, notUtf8.length))
        .isInstanceOf(Frames.FrameException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void limitsNesting() {
    String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested");
  }

  @Test
  void cleanEndOfStreamIsNull() throws Exception {
    assertThat(Frames.read(Channels.newChannel(new ByteArrayInputStream(new byte[0])))).isNull();
  }
}
