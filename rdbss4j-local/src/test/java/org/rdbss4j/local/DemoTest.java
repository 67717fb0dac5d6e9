package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job: the scripted scenario prints each status RDBSS.md part A promises. */
class DemoTest {

  @Test
  void scenarioPrintsEachForceLevelsStatus() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Demo.main(new String[0]);
    } finally {
      System.setOut(saved);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .containsPattern("\\(FALSE\\) +-> STATUS_FILES_OPEN .*System error 2401 has occurred")
        .containsPattern("\\(0xFF\\) +-> STATUS_FILES_OPEN")
        .contains("write through the held handle after 0xFF -> OK")
        .containsPattern("\\(TRUE\\) +-> STATUS_SUCCESS")
        .contains("the outstanding watch completed with     STATUS_CANCELLED")
        .contains("write through the orphaned handle       -> STATUS_UNEXPECTED_NETWORK_ERROR")
        .contains("close of the orphaned handles           -> OK")
        .contains("written through X:\\nstill usable after 0xFF\\n")
        .contains("transport to \\\\local kept dormant for reuse: true")
        .contains("live objects = 0, prefix table entries = 0");
  }
}
