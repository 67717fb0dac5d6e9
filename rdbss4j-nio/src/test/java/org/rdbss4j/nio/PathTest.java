package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PathTest extends NioTestBase {
  private RdbssFileSystem fs;

  @BeforeEach
  void openFileSystem() throws Exception {
    fs = open("share", "alice");
  }

  private RdbssPath p(String s) {
    return fs.getPath(s);
  }

  @Test
  void parsesBothSeparatorsAndDisplaysBackslashes() {
    assertThat(p("/a/b\\c")).hasToString("\\a\\b\\c");
    assertThat(p("a//b\\\\c\\")).hasToString("a\\b\\c");
    assertThat(fs.getPath("a", "", "b", "c")).hasToString("a\\b\\c");
    assertThat(p("\\").isAbsolute()).isTrue();
    assertThat(p("\\").getNameCount()).isZero();
    assertThat(p("a\\b").isAbsolute()).isFalse();
    assertThat(fs.getSeparator()).isEqualTo("\\");
  }

  @Test
  void namesCompareIgnoringCaseAndKeepTheirCase() {
    RdbssPath a = p("\\Dir\\Read Me.TXT");
    RdbssPath b = p("\\dir\\READ ME.txt");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.compareTo(b)).isZero();
    assertThat(a).hasToString("\\Dir\\Read Me.TXT");
    assertThat(a.startsWith(p("\\DIR"))).isTrue();
    assertThat(a.endsWith(p("read me.txt"))).isTrue();
    assertThat(a.endsWith("READ ME.TXT")).isTrue();
    assertThat(a).isNotEqualTo(p("Dir\\Read Me.TXT"));
    assertThat(p("\\a").compareTo(p("\\b"))).isNegative();
  }

  @Test
  void rootFileNameParentAndNames() {
    RdbssPath x = p("\\a\\b\\c");
    assertThat(x.getRoot()).hasToString("\\");
    assertThat(x.getFileName()).hasToString("c");
    assertThat(x.getParent()).hasToString("\\a\\b");
    assertThat(p("\\a").getParent()).hasToString("\\");
    assertThat(p("\\").getParent()).isNull();
    assertThat(p("\\").getFileName()).isNull();
    assertThat(p("a").getParent()).isNull();
    assertThat(p("a\\b").getRoot()).isNull();
    assertThat(x.getName(1)).hasToString("b");
    assertThat(x.subpath(1, 3)).hasToString("b\\c");
    List<String> names = new ArrayList<>();
    x.forEach(n -> names.add(n.toString()));
    assertThat(names).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> x.getName(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEmptyPathIsOneEmptyName() {
    RdbssPath e = p("");
    assertThat(e).hasToString("");
    assertThat(e.getNameCount()).isEqualTo(1);
    assertThat(e.getFileName()).isEqualTo(e);
    assertThat(e.toAbsolutePath()).hasToString("\\");
    assertThat(p("a").resolve(e)).isEqualTo(p("a"));
    assertThat(e.resolve(p("a"))).isEqualTo(p("a"));
    assertThat(p(".").normalize()).isEqualTo(e);
  }

  @Test
  void normalizeDropsDotsAndClimbsNoHigherThanTheRoot() {
    assertThat(p("\\a\\.\\b\\..\\c").normalize()).hasToString("\\a\\c");
    assertThat(p("\\..\\a").normalize()).hasToString("\\a");
    assertThat(p("..\\a\\..\\..").normalize()).hasToString("..\\..");
    assertThat(p("a\\..").normalize()).hasToString("");
  }

  @Test
  void resolveAndRelativizeAreInverses() {
    RdbssPath base = p("\\a\\b");
    assertThat(base.relativize(p("\\a\\c\\d"))).hasToString("..\\c\\d");
    assertThat(base.resolve(base.relativize(p("\\a\\c\\d"))).normalize()).isEqualTo(p("\\a\\c\\d"));
    assertThat(base.relativize(p("\\A\\B"))).hasToString("");
    assertThat(base.resolve("x\\y")).hasToString("\\a\\b\\x\\y");
    assertThat(base.resolve("\\z")).hasToString("\\z");
    assertThat(base.resolveSibling("s")).hasToString("\\a\\s");
    assertThatThrownBy(() -> base.relativize(p("c"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forbiddenCharactersAndLongNamesAreInvalid() {
    for (String bad : List.of("a<b", "a>b", "a:b", "C:\\x", "a\"b", "a|b", "a?b", "a*b", "a\0b")) {
      assertThatThrownBy(() -> p(bad)).as(bad).isInstanceOf(InvalidPathException.class);
    }
    assertThatThrownBy(() -> p("x".repeat(256))).isInstanceOf(InvalidPathException.class);
    assertThat(p("x".repeat(255)).getNameCount()).isEqualTo(1);
  }

  @Test
  void uncStringsOfThisShareOnly() {
    assertThat(p("\\\\local\\SHARE\\a\\b")).isEqualTo(p("\\a\\b"));
    assertThat(p("//local/share")).isEqualTo(p("\\"));
    assertThatThrownBy(() -> p("\\\\local\\other\\a")).isInstanceOf(InvalidPathException.class);
    assertThatThrownBy(() -> p("\\\\elsewhere\\share\\a")).isInstanceOf(InvalidPathException.class);
  }

  @Test
  void uriQuotesNamesAndRoundTrips() {
    RdbssPath x = p("\\dir\\a b#1%.txt");
    URI u = x.toUri();
    assertThat(u.getScheme()).isEqualTo("rdbss");
    assertThat(u.getRawPath()).isEqualTo("/share/dir/a%20b%231%25.txt");
    assertThat(u.getRawUserInfo()).isEqualTo("alice");
    assertThat(Path.of(u)).isEqualTo(x);
    assertThat(p("rel").toUri()).isEqualTo(p("\\rel").toUri());
  }

  @Test
  void realPathHasTheStoredCase() throws Exception {
    Files.createDirectories(shareDir.resolve("Docs").resolve("Sub"));
    Files.writeString(shareDir.resolve("Docs").resolve("Sub").resolve("ReadMe.txt"), "x");
    RdbssPath real = p("docs\\.\\SUB\\readme.TXT").toRealPath();
    assertThat(real).hasToString("\\Docs\\Sub\\ReadMe.txt");
    assertThat(p("\\").toRealPath()).hasToString("\\");
    assertThatThrownBy(() -> p("\\docs\\missing").toRealPath())
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void pathsOfTwoFileSystemsNeverMix() throws Exception {
    RdbssFileSystem bob = open("share", "bob");
    assertThat(bob.getPath("\\a")).isNotEqualTo(p("\\a"));
    assertThat(p("\\a").startsWith(bob.getPath("\\a"))).isFalse();
    assertThatThrownBy(() -> p("\\a").resolve(bob.getPath("b")))
        .isInstanceOf(ProviderMismatchException.class);
    assertThatThrownBy(() -> p("\\a").resolve(Path.of("b")))
        .isInstanceOf(ProviderMismatchException.class);
  }

  @Test
  void globsIgnoreCaseAndStopAtSeparators() {
    PathMatcher txt = fs.getPathMatcher("glob:*.txt");
    assertThat(txt.matches(p("A.TXT"))).isTrue();
    assertThat(txt.matches(p("d\\a.txt"))).isFalse();
    PathMatcher deep = fs.getPathMatcher("glob:**/*.java");
    assertThat(deep.matches(p("src\\main\\X.Java"))).isTrue();
    assertThat(fs.getPathMatcher("glob:src\\\\*").matches(p("src\\x"))).isTrue();
    PathMatcher alt = fs.getPathMatcher("glob:{a,b}?.[!x-z]*");
    assertThat(alt.matches(p("a1.c"))).isTrue();
    assertThat(alt.matches(p("b2.yes"))).isFalse();
    assertThat(alt.matches(p("c1.c"))).isFalse();
    assertThat(fs.getPathMatcher("regex:.*\\\\B\\d").matches(p("\\a\\b7"))).isTrue();
    assertThatThrownBy(() -> fs.getPathMatcher("glob:{a")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> fs.getPathMatcher("foo:x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
