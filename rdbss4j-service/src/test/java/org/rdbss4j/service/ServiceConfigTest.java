package org.rdbss4j.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdbss4j.core.MiniRedirector;
import org.rdbss4j.smb.SmbMiniRedirector;
import org.rdbss4j.smb.SmbOptions;

class ServiceConfigTest {
  @TempDir Path dir;

  @Test
  void smbLeasesAreOnByDefaultAndCanBeTurnedOff() throws Exception {
    RdrHome home = new RdrHome(dir);
    Properties p = new Properties();
    p.load(new java.io.StringReader(ServiceConfig.defaults(home)));
    ServiceConfig on = ServiceConfig.parse(p, home);
    assertThat(on.smbLeases()).isTrue();
    assertThat(smb(on).options().leases()).isTrue();

    p.setProperty("smb.leases", "false");
    ServiceConfig off = ServiceConfig.parse(p, home);
    assertThat(off.smbLeases()).isFalse();
    assertThat(smb(off).options().leases()).isFalse();
  }

  @Test
  void smbSigningDefaultsToIfRequiredAndRejectsUnknownValues() throws Exception {
    RdrHome home = new RdrHome(dir);
    Properties p = new Properties();
    p.load(new java.io.StringReader(ServiceConfig.defaults(home)));
    SmbOptions dflt = smb(ServiceConfig.parse(p, home)).options();
    assertThat(dflt.signAlways()).isFalse();
    assertThat(dflt.signingRequired()).isFalse();
    p.setProperty("smb.signing", "Always");
    assertThat(smb(ServiceConfig.parse(p, home)).options().signAlways()).isTrue();
    p.setProperty("smb.signing", "required ");
    assertThat(smb(ServiceConfig.parse(p, home)).options().signingRequired()).isTrue();
    assertThat(dflt.gmacSigning()).isTrue();
    p.setProperty("smb.gmac", " false");
    assertThat(smb(ServiceConfig.parse(p, home)).options().gmacSigning()).isFalse();
    p.setProperty("smb.signing", "sometimes");
    assertThatThrownBy(() -> ServiceConfig.parse(p, home))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smb.signing must be if_required, always or required");
  }

  private static SmbMiniRedirector smb(ServiceConfig c) {
    List<MiniRedirector> l = MiniRedirectors.create(c);
    return l.stream()
        .filter(SmbMiniRedirector.class::isInstance)
        .map(SmbMiniRedirector.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
