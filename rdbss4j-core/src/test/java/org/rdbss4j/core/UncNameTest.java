package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Parsing and validation of UNC names: bad input gets a clear status, never another failure. */
class UncNameTest {

  @Test
  void parsesServerShareAndPath() {
    UncName u = UncName.parse("\\\\srv\\share\\dir\\f.txt");
    assertThat(u.server()).isEqualTo("srv");
    assertThat(u.share()).isEqualTo("share");
    assertThat(u.path()).isEqualTo("dir\\f.txt");
    assertThat(UncName.parse("//srv/share/").path()).isEmpty();
  }

  private static NtStatus statusOf(String name) {
    try {
      UncName.parse(name);
      return NtStatus.SUCCESS;
    } catch (RxException e) {
      return e.status();
    }
  }

  @Test
  void refusesMalformedNamesWithAClearStatus() {
    assertThat(statusOf("srv\\share")).isEqualTo(NtStatus.OBJECT_PATH_SYNTAX_BAD);
    assertThat(statusOf("\\\\srv")).isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(statusOf("\\\\\\share")).isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(statusOf("\\\\srv\\share\\..\\x")).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThat(statusOf("\\\\srv\\share\\.")).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThat(statusOf("\\\\srv\\share\\a\u0000b")).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThat(statusOf("\\\\srv\\share\\a\\\\b")).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThat(statusOf("\\\\srv\\share\\a:b")).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThat(statusOf("\\\\srv\\share\\" + "x".repeat(256))).isEqualTo(NtStatus.NAME_TOO_LONG);
    assertThat(statusOf("\\\\srv\\share\\" + "x\\".repeat(20_000)))
        .isEqualTo(NtStatus.NAME_TOO_LONG);
    assertThat(statusOf(null)).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
    assertThatThrownBy(() -> UncName.relativePath("a\\..\\..\\etc"))
        .isInstanceOf(RxException.class)
        .hasMessageContaining("'..'");
  }

  @Test
  void errorMessagesEscapeControlCharacters() {
    assertThatThrownBy(() -> UncName.parse("\\\\srv\\share\\a\u0001b"))
        .hasMessageContaining("\\u0001")
        .hasMessageNotContaining("\u0001");
  }

  @Property(tries = 500)
  void anyStringEitherParsesOrFailsWithAStatus(@ForAll String name) {
    try {
      UncName u = UncName.parse(name);
      assertThat(u.server()).isNotEmpty();
      assertThat(u.share()).isNotEmpty();
      assertThat(u.path()).doesNotContain("..\\").doesNotContain("\u0000");
    } catch (RxException e) {
      assertThat(e.status().isError()).isTrue();
    }
  }
}
