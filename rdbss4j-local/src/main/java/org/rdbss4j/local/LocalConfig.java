package org.rdbss4j.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable configuration of a {@link LocalMiniRedirector}: the server names it claims and the
 * shares it serves, each a local directory. Built with {@link #builder()}; {@link #toBuilder()}
 * derives a variant.
 *
 * <pre>{@code
 * LocalConfig cfg = LocalConfig.builder()
 *     .share("docs", Path.of("/srv/docs"))
 *     .share(LocalConfig.Share.of("public", Path.of("/srv/pub")).withReadOnly(true))
 *     .build();   // claims \\local
 * }</pre>
 *
 * <p>Server, share and user names compare case-insensitively, as on Windows.
 */
public final class LocalConfig {
  /** The server name claimed when none is configured. */
  public static final String DEFAULT_SERVER = "local";

  private final List<String> serverNames;
  private final Set<String> serverKeys;
  private final Map<String, Share> shares;
  private final boolean dataCaching;

  private LocalConfig(List<String> serverNames, Map<String, Share> shares, boolean dataCaching) {
    this.dataCaching = dataCaching;
    this.serverNames = List.copyOf(serverNames);
    Set<String> keys = new LinkedHashSet<>();
    for (String s : serverNames) {
      keys.add(key(s));
    }
    this.serverKeys = Collections.unmodifiableSet(keys);
    this.shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
  }

  /**
   * One share: a name and the local directory it exposes.
   *
   * @param name the share name ({@code \\server\name})
   * @param directory the directory whose contents the share shows
   * @param readOnly refuse every change (write access, create, delete, rename) with ACCESS_DENIED
   * @param allowedUsers the users who may connect; empty for everyone
   */
  public record Share(String name, Path directory, boolean readOnly, Set<String> allowedUsers) {
    public Share {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(directory, "directory");
      if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || "\\/<>:\"|?*".indexOf(c) >= 0)) {
        throw new IllegalArgumentException("invalid share name: " + name);
      }
      allowedUsers = Set.copyOf(allowedUsers);
    }

    /** A writable share open to everyone. */
    public static Share of(String name, Path directory) {
      return new Share(name, directory, false, Set.of());
    }

    public Share withReadOnly(boolean ro) {
      return new Share(name, directory, ro, allowedUsers);
    }

    public Share withAllowedUsers(Collection<String> users) {
      return new Share(name, directory, readOnly, Set.copyOf(users));
    }

    /** Whether {@code user} may connect (case-insensitive; everyone when the set is empty). */
    public boolean allows(String user) {
      if (allowedUsers.isEmpty()) {
        return true;
      }
      for (String u : allowedUsers) {
        if (u.equalsIgnoreCase(user)) {
          return true;
        }
      }
      return false;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.serverNames.addAll(serverNames);
    b.shares.putAll(shares);
    b.dataCaching = dataCaching;
    return b;
  }

  /** The server names claimed, as configured. */
  public List<String> serverNames() {
    return serverNames;
  }

  /**
   * Whether opens of files are granted READ and WRITE caching when every handle of the file is
   * through one FCB (default {@code true}). Turn it off when other processes write the shares'
   * directories while rdbss4j has the files open: the local mini-redirector cannot tell them apart,
   * so cached pages could hide their changes. HANDLE (deferred close) is granted either way.
   */
  public boolean dataCaching() {
    return dataCaching;
  }

  /** Whether this configuration names the server (case-insensitive). */
  public boolean claims(String serverName) {
    return serverName != null && serverKeys.contains(key(serverName));
  }

  /** The share of that name (case-insensitive). */
  public Optional<Share> share(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(shares.get(key(name)));
  }

  /** Every share, in the order added. */
  public Collection<Share> shares() {
    return shares.values();
  }

  private static String key(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "LocalConfig[servers="
        + serverNames
        + ", shares="
        + shares.values()
        + (dataCaching ? "" : ", no data caching")
        + "]";
  }

  /** Builder of {@link LocalConfig}. */
  public static final class Builder {
    private final List<String> serverNames = new ArrayList<>();
    private final Map<String, Share> shares = new LinkedHashMap<>();
    private boolean dataCaching = true;

    private Builder() {}

    /** See {@link LocalConfig#dataCaching()}. */
    public Builder dataCaching(boolean on) {
      this.dataCaching = on;
      return this;
    }

    /** Adds a server name to claim; without any, {@value #DEFAULT_SERVER} is claimed. */
    public Builder serverName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty server name");
      }
      serverNames.add(name);
      return this;
    }

    /** Adds (or replaces) a writable share open to everyone. */
    public Builder share(String name, Path directory) {
      return share(Share.of(name, directory));
    }

    /** Adds (or replaces) a read-only share open to everyone. */
    public Builder readOnlyShare(String name, Path directory) {
      return share(Share.of(name, directory).withReadOnly(true));
    }

    /** Adds (or replaces) a share. */
    public Builder share(Share share) {
      shares.put(key(share.name()), share);
      return this;
    }

    /** Restricts a share already added to the given users. */
    public Builder allowedUsers(String shareName, String... users) {
      Share s = shares.get(key(shareName));
      if (s == null) {
        throw new IllegalArgumentException("no such share: " + shareName);
      }
      shares.put(key(shareName), s.withAllowedUsers(List.of(users)));
      return this;
    }

    public LocalConfig build() {
      return new LocalConfig(
          serverNames.isEmpty() ? List.of(DEFAULT_SERVER) : serverNames, shares, dataCaching);
    }
  }
}
