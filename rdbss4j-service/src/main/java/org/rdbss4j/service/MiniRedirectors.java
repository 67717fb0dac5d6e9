package org.rdbss4j.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rdbss4j.core.MiniRedirector;
import org.rdbss4j.local.LocalMiniRedirector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mini-redirectors rdrd can register, by name, in their default provider order. The local one
 * comes first and claims only its own server names, so every other name falls through to the next
 * provider. The config's {@code providers} line chooses which are registered and in what order.
 */
public final class MiniRedirectors {
  private static final Logger LOG = LoggerFactory.getLogger(MiniRedirectors.class);
  private static final Map<String, Function<ServiceConfig, MiniRedirector>> KNOWN =
      new LinkedHashMap<>();

  static {
    KNOWN.put("local", c -> new LocalMiniRedirector(c.local()));
    KNOWN.put(
        "smb",
        c ->
            new org.rdbss4j.smb.SmbMiniRedirector(
                org.rdbss4j.smb.SmbOptions.builder()
                    .leases(c.smbLeases())
                    .signAlways(c.smbSigning() == ServiceConfig.SmbSigning.ALWAYS)
                    .signingRequired(c.smbSigning() == ServiceConfig.SmbSigning.REQUIRED)
                    .gmacSigning(c.smbGmac())
                    .build()));
  }

  private MiniRedirectors() {}

  /** The names rdrd knows, in default provider order. */
  public static List<String> known() {
    return List.copyOf(KNOWN.keySet());
  }

  /** The mini-redirectors the config names, in its order; unknown names are logged and skipped. */
  public static List<MiniRedirector> create(ServiceConfig config) {
    List<MiniRedirector> l = new ArrayList<>();
    for (String name : config.providers()) {
      Function<ServiceConfig, MiniRedirector> f = KNOWN.get(name);
      if (f == null) {
        LOG.warn("unknown mini-redirector '{}' in providers; known: {}", name, known());
        continue;
      }
      l.add(f.apply(config));
    }
    return l;
  }
}
