package org.rdbss4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code rdr status} prints the cache figures of the status table. */
class StatusFormatTest {
  @Test
  void cacheFiguresArePrintedWithUnits() {
    Map<String, Object> dc = new LinkedHashMap<>();
    dc.put("budget", 64L << 20);
    dc.put("cachedBytes", 3L << 19);
    dc.put("dirtyBytes", 65536L);
    dc.put("hits", 12L);
    dc.put("misses", 3L);
    dc.put("evictions", 0L);
    dc.put("readAheadBytes", 1L << 20);
    dc.put("writeBackFailures", 0L);
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("entries", 5);
    md.put("hits", 7L);
    md.put("misses", 2L);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("scavenger", "INACTIVE");
    t.put("delayedCloses", 0);
    t.put("prefixTableEntries", 0);
    t.put("liveObjects", 0);
    t.put("fuse", "available");
    t.put("dataCache", dc);
    t.put("metadataCache", md);
    t.put("srvCalls", List.of());
    t.put("mounts", List.of());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatusCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), t);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains(
            "Data cache: 1.5 MiB cached of 64.0 MiB budget  dirty 64.0 KiB  hits 12  misses 3"
                + "  evictions 0  read ahead 1.0 MiB  write-back failures 0")
        .contains("Metadata cache: 5 entries  hits 7  misses 2");
    assertThat(StatusCommand.size(512)).isEqualTo("512 B");
    assertThat(StatusCommand.size(3L << 30)).isEqualTo("3.0 GiB");
  }
}
