package org.rdbss4j.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.Condition;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeOption;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.UncName;
import org.rdbss4j.core.VNetRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What rdrd does for its callers, independent of the socket: add, delete and list connections
 * (keeping the persistent profile and the FUSE mounts in step), and open paths named {@code
 * X:\dir\file} or {@code \\server\share\file} for watch and copy.
 */
public final class RdrService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RdrService.class);

  private final RdrHome home;
  private final Redirector rdr;
  private final DeviceMounter mounter;
  private final PersistentConnections profile;
  private final Map<VNetRoot, DeviceMounter.Mount> mounts = new ConcurrentHashMap<>();

  /**
   * A {@code use} request.
   *
   * @param device {@code X:} or null for a deviceless connection
   * @param password the password, wiped by {@link RdrService#use}; never logged
   */
  public record UseRequest(
      String device,
      String unc,
      String user,
      String domain,
      char[] password,
      int port,
      boolean persistent,
      String mountPoint) {
    @Override
    public String toString() {
      return "use "
          + (device == null ? "" : device + " ")
          + unc
          + " user="
          + user
          + " port="
          + port;
    }
  }

  public RdrService(RdrHome home, Redirector rdr, DeviceMounter mounter, PersistentConnections p) {
    this.home = home;
    this.rdr = rdr;
    this.mounter = mounter;
    this.profile = p;
  }

  public Redirector redirector() {
    return rdr;
  }

  public RdrHome home() {
    return home;
  }

  public DeviceMounter mounter() {
    return mounter;
  }

  /** The mount of each mounted connection. */
  public Map<VNetRoot, DeviceMounter.Mount> mounts() {
    return Map.copyOf(mounts);
  }

  /** Restores the persistent connections for the service's own identity. */
  public void restore(CallerIdentity owner) {
    for (PersistentConnections.Entry e : profile.entries()) {
      try {
        Map<String, Object> r =
            use(
                owner,
                new UseRequest(
                    e.device().isEmpty() ? null : e.device(),
                    e.unc(),
                    e.user(),
                    e.domain(),
                    new char[0],
                    e.port(),
                    true,
                    e.mountPoint().isEmpty() ? null : e.mountPoint()));
        LOG.info("restored {} {} {}", e.device(), e.unc(), r.getOrDefault("mount", ""));
      } catch (RxException ex) {
        LOG.warn("could not restore {} {}: {}", e.device(), e.unc(), ex.getMessage());
      }
    }
  }

  /** net use: adds the connection, mounts a device, remembers a persistent one. */
  public Map<String, Object> use(CallerIdentity id, UseRequest r) {
    Credentials cred =
        r.user().isEmpty() && r.password().length == 0
            ? Credentials.none()
            : new Credentials(r.user(), r.domain(), r.password());
    Arrays.fill(r.password(), '\0');
    ConnectOptions opts = new ConnectOptions(r.port(), r.persistent(), Map.of());
    UncName.parse(r.unc());
    VNetRoot v = rdr.addConnection(RxContext.of(id), r.unc(), r.device(), cred, opts);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("device", v.localDevice() == null ? "" : v.localDevice());
    out.put("remote", v.uncName());
    out.put("name", v.name());
    if (v.localDevice() != null) {
      Path dir =
          r.mountPoint() != null && !r.mountPoint().isEmpty()
              ? Path.of(r.mountPoint())
              : home.mountRoot().resolve(v.localDevice().substring(0, 1));
      try {
        DeviceMounter.Mount m = mounter.mount(rdr, v, dir, this::reapMounts);
        mounts.put(v, m);
        out.put("mount", m.path().toString());
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} is connected but not mounted: {}", v.localDevice(), e.getMessage());
        out.put("mountError", e.getMessage());
      }
    }
    String key = v.localDevice() != null ? v.localDevice() : v.uncName();
    try {
      if (r.persistent()) {
        profile.put(
            new PersistentConnections.Entry(
                v.localDevice() == null ? "" : v.localDevice(),
                v.uncName(),
                r.user(),
                r.domain(),
                r.port(),
                r.mountPoint() == null ? "" : r.mountPoint()));
      } else {
        profile.remove(key);
      }
    } catch (IOException e) {
      LOG.warn("could not update the persistent connection list: {}", e.toString());
    }
    LOG.info("{} connected as {}", key, v.name());
    return out;
  }

  /**
   * net use /delete: RxFinalizeConnection through the delete handler, with the force level as sent
   * on the wire (anything but 0, 1 and 0xFF is INVALID_PARAMETER and changes nothing).
   */
  public FinalizeResult delete(
      CallerIdentity id, String name, long forceWire, boolean closeTransport) {
    ForceFilesClosed force = ForceFilesClosed.fromWire(forceWire);
    Set<FinalizeOption> opts =
        closeTransport ? EnumSet.of(FinalizeOption.CLOSE_TRANSPORT) : Set.of();
    FinalizeResult r;
    try {
      r = rdr.deleteConnection(RxContext.of(id), name, force, opts);
    } catch (RxException e) {
      if (e.status() == NtStatus.BAD_NETWORK_NAME && profile.contains(name)) {
        forget(name);
        return FinalizeResult.of(NtStatus.SUCCESS);
      }
      throw e;
    }
    if (r.status() == NtStatus.SUCCESS || force == ForceFilesClosed.LAZY) {
      forget(name);
    }
    reapMounts();
    LOG.info("delete {} force {}: {}", name, force, r.status());
    return r;
  }

  private void forget(String name) {
    try {
      profile.remove(name);
    } catch (IOException e) {
      LOG.warn("could not update the persistent connection list: {}", e.toString());
    }
  }

  /** Retires the mounts of connections that are gone (unmounted once their handles close). */
  public void reapMounts() {
    for (Map.Entry<VNetRoot, DeviceMounter.Mount> e : mounts.entrySet()) {
      VNetRoot v = e.getKey();
      if ((v.isUpperFinalizationDone() || v.isFreed()) && mounts.remove(v, e.getValue())) {
        e.getValue().retire();
      }
    }
  }

  /** net use: the caller's connections, then remembered ones that are not connected. */
  public List<Map<String, Object>> list(CallerIdentity id) {
    List<Map<String, Object>> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (VNetRoot v : rdr.connections()) {
      if (v.logonId() != id.logonId()) {
        continue;
      }
      String key = v.localDevice() != null ? v.localDevice() : v.uncName();
      seen.add(key.toUpperCase(Locale.ROOT));
      Map<String, Object> m = new LinkedHashMap<>();
      boolean good =
          v.condition() == Condition.GOOD
              && v.netRoot().condition() == Condition.GOOD
              && v.netRoot().srvCall().condition() == Condition.GOOD;
      m.put("status", good ? "OK" : "Disconnected");
      m.put("local", v.localDevice() == null ? "" : v.localDevice());
      m.put("remote", v.uncName());
      DeviceMounter.Mount mount = mounts.get(v);
      m.put("mount", mount == null ? "" : mount.path().toString());
      m.put("persistent", profile.contains(key));
      m.put("explicit", v.isExplicitConnection());
      out.add(m);
    }
    for (PersistentConnections.Entry e : profile.entries()) {
      if (!seen.contains(e.key())) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "Unavailable");
        m.put("local", e.device());
        m.put("remote", e.unc());
        m.put("mount", "");
        m.put("persistent", true);
        m.put("explicit", true);
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Opens {@code X:\path} (a mapped device of the caller) or {@code \\server\share\path}; returns
   * {@code null} for any other name (a local file).
   */
  public FileObject open(CallerIdentity id, String path, CreateRequest req) {
    if (isDevicePath(path)) {
      String dev = path.substring(0, 2).toUpperCase(Locale.ROOT);
      VNetRoot v = device(id, dev);
      String rel = UncName.relativePath(path.substring(2));
      return rdr.create(RxContext.of(id), v, req.withPath(rel));
    }
    if (isUncPath(path)) {
      return rdr.create(RxContext.of(id), path, req.withPath(""));
    }
    return null;
  }

  /** Whether a name is {@code X:} or {@code X:\...}. */
  public static boolean isDevicePath(String p) {
    return p.length() >= 2
        && p.charAt(1) == ':'
        && Character.isLetter(p.charAt(0))
        && (p.length() == 2 || p.charAt(2) == '\\' || p.charAt(2) == '/');
  }

  /** Whether a name is {@code \\server\...} (slashes accepted). */
  public static boolean isUncPath(String p) {
    return p.startsWith("\\\\") || p.startsWith("//");
  }

  private VNetRoot device(CallerIdentity id, String dev) {
    for (VNetRoot v : rdr.connections()) {
      if (v.logonId() == id.logonId() && dev.equals(v.localDevice())) {
        return v;
      }
    }
    throw new RxException(NtStatus.BAD_NETWORK_NAME, dev + " is not connected");
  }

  /** Unmounts every device and shuts the redirector down (connections finalized, data flushed). */
  @Override
  public void close() {
    for (DeviceMounter.Mount m : mounts.values()) {
      m.close();
    }
    mounts.clear();
    rdr.close();
  }
}
