package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.Credentials;

/**
 * The immutable settings of an {@link SmbMiniRedirector}, built with {@link #builder()}; {@link
 * #toBuilder()} derives a variant. Named apart from smbj's own {@code SmbConfig}, which is built
 * from these for each server connection.
 *
 * @param connectTimeout how long a TCP connect to a server may take
 * @param readTimeout how long a READ may wait for its response before the server is declared not
 *     responding (the request fails with IO_TIMEOUT and the connection is dropped)
 * @param writeTimeout the same for WRITE and FLUSH
 * @param transactTimeout the same for every other request with a prompt answer (negotiate, session
 *     setup, tree connect, create, close, query, set, lock with fail-immediately); change
 *     notifications and waiting locks have no timeout, they wait until answered or cancelled
 * @param socketTimeout smbj's socket read timeout; zero (the default) for none. smbj treats an idle
 *     read timeout as a broken connection, so a non-zero value also drops idle connections and
 *     fails pending change notifications after that long
 * @param dialects the SMB dialects offered in NEGOTIATE
 * @param signingRequired require signed messages even when the server does not (both sides then
 *     sign every message)
 * @param signAlways sign every message even when neither side requires signing (smbj's own
 *     behaviour on SMB 3.x). By default (false) rdbss4j signs what the protocol requires (session
 *     setup, tree connect on 3.1.1, and everything when the server or {@code signingRequired} asks
 *     for it) and sends the rest unsigned, as smbclient ({@code client signing = if_required}), the
 *     Linux cifs client (without {@code sign}) and Windows before 24H2 do
 * @param encryptData ask for SMB3 encryption
 * @param maxReadSize cap on one READ's length, 1 MiB by default; 0 for the server's negotiated
 *     maximum (8 MiB on Samba). Against Samba on loopback, 16 requests of 1 MiB in flight move more
 *     data than 8 of 8 MiB: signing one request overlaps with sending and verifying others
 * @param maxWriteSize cap on one WRITE's length, 1 MiB by default; 0 for the negotiated maximum
 * @param requestsInFlight how many READs or WRITEs of one large transfer are sent before waiting
 *     (16 by default)
 * @param claimedServers the server names this mini-redirector claims: host names or addresses,
 *     case-insensitive, with {@code *} and {@code ?} wildcards; empty claims every name
 * @param defaultCredentials the credentials of a caller identity for connections made without
 *     explicit ones (implicit UNC opens); returning {@link Credentials#none()} logs on anonymously
 * @param leases request SMB2 leases (read, write and handle caching) on file opens, on by default;
 *     the core caches data and defers closes only under a lease the server granted. Off, nothing is
 *     requested and nothing cached (as Linux cifs with {@code cache=none})
 * @param gmacSigning offer AES-GMAC signing on SMB 3.1.1 (the signing capabilities of NEGOTIATE,
 *     which smbj does not send), on by default: a server that picks it (Samba 4.15 and later,
 *     Windows Server 2022 and Windows 11) signs and checks with AES-128-GMAC, far cheaper on both
 *     sides than AES-CMAC, which stays for servers that do not (and SMB 3.0 and 3.0.2)
 */
public record SmbOptions(
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Duration transactTimeout,
    Duration socketTimeout,
    Set<SMB2Dialect> dialects,
    boolean signingRequired,
    boolean signAlways,
    boolean encryptData,
    int maxReadSize,
    int maxWriteSize,
    int requestsInFlight,
    List<String> claimedServers,
    Function<CallerIdentity, Credentials> defaultCredentials,
    boolean leases,
    boolean gmacSigning) {

  public SmbOptions {
    for (Duration d :
        List.of(connectTimeout, readTimeout, writeTimeout, transactTimeout, socketTimeout)) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative timeout: " + d);
      }
    }
    if (dialects.isEmpty()) {
      throw new IllegalArgumentException("no SMB dialect offered");
    }
    if (maxReadSize < 0 || maxWriteSize < 0 || requestsInFlight < 1) {
      throw new IllegalArgumentException("invalid transfer sizes");
    }
    dialects = Set.copyOf(dialects);
    claimedServers = List.copyOf(claimedServers);
    Objects.requireNonNull(defaultCredentials, "defaultCredentials");
  }

  /** The defaults: 5 s to connect, 60 s per request as smbj has it, SMB 2.0.2 to 3.1.1. */
  public static SmbOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.writeTimeout = writeTimeout;
    b.transactTimeout = transactTimeout;
    b.socketTimeout = socketTimeout;
    b.dialects = EnumSet.copyOf(dialects);
    b.signingRequired = signingRequired;
    b.signAlways = signAlways;
    b.encryptData = encryptData;
    b.maxReadSize = maxReadSize;
    b.maxWriteSize = maxWriteSize;
    b.requestsInFlight = requestsInFlight;
    b.claimedServers.addAll(claimedServers);
    b.defaultCredentials = defaultCredentials;
    b.leases = leases;
    b.gmacSigning = gmacSigning;
    return b;
  }

  /** Whether a server name is claimed: any name when no names are configured. */
  public boolean claims(String serverName) {
    if (claimedServers.isEmpty()) {
      return true;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    for (String p : claimedServers) {
      if (glob(p.toLowerCase(Locale.ROOT)).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return "SmbOptions[dialects="
        + dialects
        + ", transactTimeout="
        + transactTimeout
        + ", claimedServers="
        + (claimedServers.isEmpty() ? "*" : claimedServers)
        + (leases ? "" : ", leases off")
        + "]";
  }

  /** Builder of {@link SmbOptions}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration transactTimeout = Duration.ofSeconds(60);
    private Duration socketTimeout = Duration.ZERO;
    private Set<SMB2Dialect> dialects =
        EnumSet.of(
            SMB2Dialect.SMB_3_1_1,
            SMB2Dialect.SMB_3_0_2,
            SMB2Dialect.SMB_3_0,
            SMB2Dialect.SMB_2_1,
            SMB2Dialect.SMB_2_0_2);
    private boolean signingRequired;
    private boolean signAlways;
    private boolean encryptData;
    private int maxReadSize = 1 << 20;
    private int maxWriteSize = 1 << 20;
    private int requestsInFlight = 16;
    private final List<String> claimedServers = new ArrayList<>();
    private Function<CallerIdentity, Credentials> defaultCredentials = id -> Credentials.none();
    private boolean leases = true;
    private boolean gmacSigning = true;

    private Builder() {}

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** Sets the read, write and transact timeouts at once. */
    public Builder requestTimeout(Duration d) {
      this.readTimeout = d;
      this.writeTimeout = d;
      this.transactTimeout = d;
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = d;
      return this;
    }

    public Builder writeTimeout(Duration d) {
      this.writeTimeout = d;
      return this;
    }

    public Builder transactTimeout(Duration d) {
      this.transactTimeout = d;
      return this;
    }

    public Builder socketTimeout(Duration d) {
      this.socketTimeout = d;
      return this;
    }

    public Builder dialects(Set<SMB2Dialect> d) {
      this.dialects = EnumSet.copyOf(d);
      return this;
    }

    public Builder signingRequired(boolean b) {
      this.signingRequired = b;
      return this;
    }

    /** Sign every message even when neither side requires it (see {@link SmbOptions}). */
    public Builder signAlways(boolean b) {
      this.signAlways = b;
      return this;
    }

    public Builder encryptData(boolean b) {
      this.encryptData = b;
      return this;
    }

    public Builder maxReadSize(int n) {
      this.maxReadSize = n;
      return this;
    }

    public Builder maxWriteSize(int n) {
      this.maxWriteSize = n;
      return this;
    }

    public Builder requestsInFlight(int n) {
      this.requestsInFlight = n;
      return this;
    }

    /** Adds a server name (or {@code *}/{@code ?} pattern) to claim. */
    public Builder claimServer(String pattern) {
      Objects.requireNonNull(pattern, "pattern");
      claimedServers.add(pattern);
      return this;
    }

    public Builder defaultCredentials(Function<CallerIdentity, Credentials> f) {
      this.defaultCredentials = Objects.requireNonNull(f, "defaultCredentials");
      return this;
    }

    /** Whether to request SMB2 leases on file opens (on by default). */
    public Builder leases(boolean b) {
      this.leases = b;
      return this;
    }

    /** Whether to offer AES-GMAC signing on SMB 3.1.1 (on by default; see {@link SmbOptions}). */
    public Builder gmacSigning(boolean b) {
      this.gmacSigning = b;
      return this;
    }

    public SmbOptions build() {
      return new SmbOptions(
          connectTimeout,
          readTimeout,
          writeTimeout,
          transactTimeout,
          socketTimeout,
          dialects,
          signingRequired,
          signAlways,
          encryptData,
          maxReadSize,
          maxWriteSize,
          requestsInFlight,
          claimedServers,
          defaultCredentials,
          leases,
          gmacSigning);
    }
  }
}
