package org.rdbss4j.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.rdbss4j.local.LocalConfig;

/**
 * rdrd's settings, read from {@code RDR_HOME/config} (a properties file, written with the defaults
 * on first start): the provider order, the local mini-redirector's server names and shares, and the
 * scavenger's idle timeout.
 *
 * @param providers mini-redirector names in provider order
 * @param local the local mini-redirector's configuration
 * @param scavengerTimeout idle time before delayed closes and dormant transports are finalized
 * @param dataCacheBudget the data cache's budget in bytes (0: no data caching)
 * @param smbLeases whether the SMB mini-redirector requests SMB2 leases (key {@code smb.leases},
 *     default true); without them SMB files are neither cached nor kept in deferred close
 * @param smbSigning which SMB messages are signed (key {@code smb.signing}, default {@code
 *     if_required})
 * @param smbGmac whether SMB 3.1.1 connections offer AES-GMAC signing (key {@code smb.gmac},
 *     default true)
 */
public record ServiceConfig(
    List<String> providers,
    LocalConfig local,
    Duration scavengerTimeout,
    long dataCacheBudget,
    boolean smbLeases,
    SmbSigning smbSigning,
    boolean smbGmac) {

  /** The {@code smb.signing} settings, as smb.conf's {@code client signing}. */
  public enum SmbSigning {
    /** Sign what the protocol requires, the rest when the server requires it (the default). */
    IF_REQUIRED,
    /** Sign every message, without asking the server to require it. */
    ALWAYS,
    /** Require signing of every message from both sides. */
    REQUIRED;

    static SmbSigning parse(String v) {
      try {
        return valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "smb.signing must be if_required, always or required, not '" + v.trim() + "'");
      }
    }
  }

  /** Reads the config file, creating it (and the default share's directory) when missing. */
  public static ServiceConfig load(RdrHome home) throws IOException {
    Path file = home.config();
    if (!Files.exists(file)) {
      Files.createDirectories(home.defaultShare());
      Files.writeString(file, defaults(home), StandardCharsets.UTF_8);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return parse(p, home);
  }

  static String defaults(RdrHome home) {
    return """
        # rdrd configuration (a Java properties file). Restart rdrd after changing it.
        # Mini-redirectors in provider order: the first that claims a server name serves it.
        providers = %s
        # Server names the local mini-redirector claims (comma separated).
        local.servers = local
        # Shares of the local mini-redirector: share.<name> = <directory>,
        # share.<name>.readonly = true for a read-only share.
        share.share = %s
        # Seconds an idle delayed close, connection or transport waits for the scavenger.
        scavenger.timeout.seconds = 10
        # MiB of file data cached across all files under the servers' caching grants (0: none).
        cache.budget.mib = 64
        # Cache the data of local shares' files while rdbss4j is their only user; set to false
        # when other programs write the shares' directories while files are open through rdbss4j.
        local.datacaching = true
        # Request SMB2 leases (read, write and handle caching) from SMB servers; set to false for
        # shares that require encryption (breaks could not be read) or to turn SMB caching off.
        smb.leases = true
        # SMB message signing: if_required (what the protocol or the server requires, as smbclient
        # and the Linux cifs client do), always (every message), required (both sides, always).
        smb.signing = if_required
        # Offer AES-GMAC signing on SMB 3.1.1 (servers that know it sign far faster with it than
        # with AES-CMAC); set to false for a server that mishandles the offer.
        smb.gmac = true
        """
        .formatted(
            String.join(", ", MiniRedirectors.known()),
            home.defaultShare().toString().replace("\\", "\\\\"));
  }

  static ServiceConfig parse(Properties p, RdrHome home) {
    List<String> providers =
        list(p.getProperty("providers", String.join(",", MiniRedirectors.known())));
    LocalConfig.Builder b =
        LocalConfig.builder()
            .dataCaching(Boolean.parseBoolean(p.getProperty("local.datacaching", "true").trim()));
    for (String s : list(p.getProperty("local.servers", LocalConfig.DEFAULT_SERVER))) {
      b.serverName(s);
    }
    List<String> names = new ArrayList<>(p.stringPropertyNames());
    names.sort(null);
    for (String key : names) {
      if (key.startsWith("share.") && key.indexOf('.', 6) < 0) {
        String name = key.substring(6);
        Path dir = Path.of(p.getProperty(key).trim());
        boolean ro = Boolean.parseBoolean(p.getProperty(key + ".readonly", "false").trim());
        b.share(LocalConfig.Share.of(name, dir).withReadOnly(ro));
      }
    }
    long secs = Long.parseLong(p.getProperty("scavenger.timeout.seconds", "10").trim());
    long mib = Long.parseLong(p.getProperty("cache.budget.mib", "64").trim());
    if (mib < 0) {
      throw new IllegalArgumentException("cache.budget.mib must not be negative: " + mib);
    }
    boolean leases = Boolean.parseBoolean(p.getProperty("smb.leases", "true").trim());
    SmbSigning signing = SmbSigning.parse(p.getProperty("smb.signing", "if_required"));
    boolean gmac = Boolean.parseBoolean(p.getProperty("smb.gmac", "true").trim());
    return new ServiceConfig(
        providers, b.build(), Duration.ofSeconds(secs), mib << 20, leases, signing, gmac);
  }

  private static List<String> list(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
