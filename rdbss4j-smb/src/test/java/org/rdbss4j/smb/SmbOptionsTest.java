package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SmbOptionsTest {

  @Test
  void claimsEveryServerByDefault() {
    SmbMiniRedirector smb = new SmbMiniRedirector(SmbOptions.defaults());
    assertThat(smb.claimsServer("anything", 0)).isTrue();
    assertThat(smb.claimsServer("127.0.0.1", 4445)).isTrue();
  }

  @Test
  void claimsOnlyTheConfiguredNamesAndPatterns() {
    SmbOptions o =
        SmbOptions.builder()
            .claimServer("NAS")
            .claimServer("*.example.com")
            .claimServer("10.0.0.?")
            .build();
    assertThat(o.claims("nas")).isTrue();
    assertThat(o.claims("files.EXAMPLE.com")).isTrue();
    assertThat(o.claims("10.0.0.7")).isTrue();
    assertThat(o.claims("10.0.0.17")).isFalse();
    assertThat(o.claims("example.com")).isFalse();
    assertThat(o.claims("local")).isFalse();
    assertThat(o.toBuilder().build().claims("nas")).isTrue();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> SmbOptions.builder().requestTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmbOptions.builder().requestsInFlight(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fileTimesKeepTheirHundredNanoseconds() {
    Instant i = Instant.parse("2021-06-07T08:09:10.123456700Z");
    assertThat(FileInfos.instant(FileInfos.fileTime(i))).isEqualTo(i);
    Instant old = Instant.parse("1900-01-01T00:00:00.000000100Z");
    assertThat(FileInfos.instant(FileInfos.fileTime(old))).isEqualTo(old);
  }
}
