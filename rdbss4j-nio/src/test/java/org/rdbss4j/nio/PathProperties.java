package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

/**
 * Algebraic laws of {@link RdbssPath} over random names: case variants are equal, resolve and
 * relativize are inverses, normalize is idempotent and a path's string parses back to it.
 */
class PathProperties {
  private static Path dir;
  private static Redirector rdr;
  private static RdbssFileSystem fs;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("rdbss4j-path-properties");
    LocalMiniRedirector local =
        new LocalMiniRedirector(LocalConfig.builder().share("share", dir).build());
    rdr = Redirector.start(RedirectorConfig.builder().miniRedirector(local).build());
    fs =
        (RdbssFileSystem)
            FileSystems.newFileSystem(
                URI.create("rdbss://local/share"), Map.of(RdbssEnv.REDIRECTOR.name(), rdr));
  }

  @AfterContainer
  static void closeAndCheckForLeaks() throws IOException {
    try {
      fs.close();
      rdr.drain();
      assertThat(rdr.liveNodes()).isEmpty();
      assertThat(rdr.prefixTable().size()).isZero();
    } finally {
      rdr.close();
      Files.delete(dir);
    }
  }

  @Provide
  Arbitrary<String> relative() {
    return name().list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("\\", l));
  }

  @Provide
  Arbitrary<String> withDots() {
    return Arbitraries.oneOf(name(), Arbitraries.of(".", ".."))
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .flatMap(l -> Arbitraries.of("", "\\").map(root -> root + String.join("\\", l)));
  }

  private static Arbitrary<String> name() {
    return Arbitraries.strings()
        .withChars("aAbBzZéÉ09 _-")
        .ofMinLength(1)
        .ofMaxLength(8)
        .filter(s -> !s.isBlank());
  }

  @Property(tries = 200)
  void caseVariantsAreEqual(@ForAll("relative") String s) {
    RdbssPath upper = fs.getPath(s.toUpperCase(Locale.ROOT));
    RdbssPath lower = fs.getPath(s.toLowerCase(Locale.ROOT));
    assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
    assertThat(upper.compareTo(lower)).isZero();
  }

  @Property(tries = 200)
  void relativizeUndoesResolve(@ForAll("relative") String base, @ForAll("relative") String rel) {
    RdbssPath b = fs.getPath("\\" + base);
    RdbssPath r = fs.getPath(rel);
    assertThat(b.relativize(b.resolve(r))).isEqualTo(r);
    assertThat(b.resolve(b.relativize(fs.getPath("\\" + rel))).normalize())
        .isEqualTo(fs.getPath("\\" + rel));
  }

  @Property(tries = 200)
  void normalizeIsIdempotentAndStringsParseBack(@ForAll("withDots") String s) {
    RdbssPath p = fs.getPath(s);
    RdbssPath n = p.normalize();
    assertThat(n.normalize()).isEqualTo(n);
    assertThat(fs.getPath(p.toString())).isEqualTo(p);
    assertThat(n.toString()).doesNotContain("\\.\\");
    if (p.isAbsolute()) {
      assertThat(n.toString()).doesNotContain("..");
      assertThat(Path.of(n.toUri())).isEqualTo(n);
    }
    assertThat(List.of(n.startsWith(n), n.endsWith(n))).containsOnly(true);
  }
}
