package org.rdbss4j.core;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Creating and finding connections: RxCreateSrvCall, RxCreateNetRoot, RxCreateVNetRoot and
 * RxFindOrConstructVirtualNetRoot (RDBSS.md sections 5.1 to 5.5). Construction calls into the
 * mini-redirector run with the prefix table released; waiters wait on the node's condition.
 */
final class Connections {
  private final Redirector rdr;

  Connections(Redirector rdr) {
    this.rdr = rdr;
  }

  /** The prefix-table name of a server: {@code \server}, or {@code \server:port}. */
  static String srvCallName(String server, int port) {
    return "\\" + server + (port == 0 ? "" : ":" + port);
  }

  /** The V_NET_ROOT name: local prefix plus NET_ROOT name. */
  static String vNetRootName(String device, long logonId, String netRootName) {
    String dev = device == null ? "" : device.substring(0, 1).toUpperCase(Locale.ROOT);
    return "\\;" + dev + ":" + logonId + netRootName;
  }

  /** RxCreateSrvCall. Prefix table exclusive. Count 1, Uninitialized, in the table. */
  SrvCall createSrvCall(String server, int port, MiniRedirector miniRdr) {
    requireExclusive();
    String name = srvCallName(server, port);
    SrvCall s = new SrvCall(rdr, name, server, port, miniRdr);
    rdr.prefixTable.insert(name, s, 0, true);
    rdr.live.add(s);
    return s;
  }

  /**
   * RxCreateNetRoot. Prefix table exclusive. Returns {@code null}, changing nothing, when the
   * combined name would exceed 0xFFFF bytes. References the SRV_CALL.
   */
  NetRoot createNetRoot(SrvCall srvCall, String share, int flags) {
    requireExclusive();
    String name = srvCall.name() + "\\" + share;
    if (name.length() * 2L > 0xFFFF) {
      return null;
    }
    NetRoot n = new NetRoot(rdr, srvCall, name, share, flags);
    boolean ci = (srvCall.flags() & SrvCall.FLAG_CASE_INSENSITIVE_NETROOTS) != 0;
    rdr.prefixTable.insert(name, n, 0, ci);
    rdr.refs.reference(srvCall);
    rdr.live.add(n);
    return n;
  }

  /**
   * RxCreateVNetRoot. Prefix table exclusive. Returns {@code null} (ACCESS_DENIED) for a restricted
   * identity, inserting nothing. References the NET_ROOT and joins its list.
   */
  VNetRoot createVNetRoot(
      RxContext ctx,
      NetRoot netRoot,
      String device,
      Credentials credentials,
      ConnectOptions options) {
    requireExclusive();
    CallerIdentity id = ctx.identity();
    if (id.restricted()) {
      return null;
    }
    String name = vNetRootName(device, id.logonId(), netRoot.name());
    VNetRoot v = new VNetRoot(rdr, netRoot, name, id, credentials, device, options);
    boolean ci = (netRoot.srvCall.flags() & SrvCall.FLAG_CASE_INSENSITIVE_FILENAMES) != 0;
    rdr.prefixTable.insert(name, v, id.logonId(), ci);
    rdr.refs.reference(netRoot);
    netRoot.vNetRoots.add(v);
    rdr.live.add(v);
    return v;
  }

  /** The mini-redirector that claims a server, in provider order. */
  MiniRedirector claim(String server, int port) {
    for (MiniRedirector m : rdr.config().miniRedirectors()) {
      if (m.claimsServer(server, port)) {
        return m;
      }
    }
    throw new RxException(NtStatus.BAD_NETWORK_NAME, "no mini-redirector claims server " + server);
  }

  /**
   * RxFindOrConstructVirtualNetRoot: the caller's V_NET_ROOT for a share, referenced for the
   * caller. With a device, the V_NET_ROOT of that exact name; without, any V_NET_ROOT of the share
   * with the caller's logon id, or a new one.
   */
  VNetRoot findOrConstruct(
      RxContext ctx,
      UncName unc,
      String device,
      Credentials credentials,
      ConnectOptions options,
      boolean explicit) {
    ConnectOptions opts = options == null ? ConnectOptions.defaults() : options;
    String srvName = srvCallName(unc.server(), opts.port());
    String netRootName = srvName + "\\" + unc.share();
    long logon = ctx.identity().logonId();
    VNetRoot found;
    rdr.prefixTable.lock().lockShared();
    try {
      found = findExisting(netRootName, device, logon);
      if (found != null) {
        rdr.refs.reference(found);
      }
    } finally {
      rdr.prefixTable.lock().unlockShared();
    }
    if (found != null) {
      return awaitGood(ctx, found);
    }
    return construct(ctx, unc, srvName, netRootName, device, credentials, opts);
  }

  private VNetRoot findExisting(String netRootName, String device, long logon) {
    if (device != null) {
      PrefixTable.Lookup l =
          rdr.prefixTable.lookup(vNetRootName(device, logon, netRootName), logon);
      return l != null && l.node() instanceof VNetRoot v && l.remainingName().isEmpty() ? v : null;
    }
    NetRoot n = netRootNamed(netRootName, logon);
    if (n == null || n.condition() == Condition.BAD || n.srvCall.condition() == Condition.BAD) {
      return null;
    }
    for (VNetRoot v : n.vNetRoots) {
      if (v.logonId() == logon && !v.upperFinalizationDone && v.condition() != Condition.BAD) {
        return v;
      }
    }
    return null;
  }

  private VNetRoot construct(
      RxContext ctx,
      UncName unc,
      String srvName,
      String netRootName,
      String device,
      Credentials credentials,
      ConnectOptions opts) {
    SrvCall srvCall;
    NetRoot netRoot;
    VNetRoot v;
    boolean newSrvCall = false;
    boolean newNetRoot = false;
    if (ctx.identity().restricted()) {
      throw new RxException(NtStatus.ACCESS_DENIED, "restricted caller token");
    }
    if (netRootName.length() * 2L > 0xFFFF) {
      throw new RxException(NtStatus.NAME_TOO_LONG, "share name too long");
    }
    rdr.prefixTable.lock().lockExclusive();
    try {
      VNetRoot again = findExisting(netRootName, device, ctx.identity().logonId());
      if (again != null) {
        rdr.refs.reference(again);
        v = again;
        srvCall = null;
      } else {
        srvCall = liveSrvCall(srvName);
        if (srvCall == null) {
          srvCall = createSrvCall(unc.server(), opts.port(), claim(unc.server(), opts.port()));
          srvCall.transition();
          newSrvCall = true;
        }
        rdr.refs.reference(srvCall);
        netRoot = liveNetRoot(netRootName);
        if (netRoot == null) {
          netRoot = createNetRoot(srvCall, unc.share(), 0);
          if (netRoot == null) {
            rdr.refs.dereference(srvCall, LockHoldingState.EXCLUSIVE_LOCK_HELD);
            throw new RxException(NtStatus.NAME_TOO_LONG, "share name too long");
          }
          netRoot.transition();
          newNetRoot = true;
        }
        v = createVNetRoot(ctx, netRoot, device, credentials, opts);
        if (v == null) {
          rdr.refs.dereference(srvCall, LockHoldingState.EXCLUSIVE_LOCK_HELD);
          throw new RxException(NtStatus.ACCESS_DENIED, "restricted caller token");
        }
        v.transition();
        rdr.refs.reference(v);
      }
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
    if (srvCall == null) {
      return awaitGood(ctx, v);
    }
    try {
      if (newSrvCall) {
        constructSrvCall(ctx, srvCall);
      } else if (srvCall.waitForStableCondition(null) != NtStatus.SUCCESS
          || srvCall.condition() != Condition.GOOD) {
        throw new RxException(srvCall.constructionStatus(), "server unavailable: " + srvName);
      }
      if (srvCall.condition() != Condition.GOOD) {
        NtStatus st = srvCall.constructionStatus();
        v.updateCondition(Condition.BAD, st);
        if (newNetRoot) {
          v.netRoot.updateCondition(Condition.BAD, st);
        }
        throw new RxException(st, "cannot reach server " + unc.server());
      }
      constructNetRoot(ctx, v, newNetRoot);
      return v;
    } catch (RuntimeException e) {
      RxException rx = RxException.of(e);
      abandon(v, srvCall, rx.status());
      throw rx;
    } catch (AssertionError e) {
      abandon(v, srvCall, NtStatus.INTERNAL_ERROR);
      throw e;
    } finally {
      releaseSrvCallRef(srvCall);
    }
  }

  private void releaseSrvCallRef(SrvCall s) {
    rdr.prefixTable.lock().lockExclusive();
    try {
      rdr.refs.dereference(s, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  /** RxConstructSrvCall: MRxCreateSrvCall, then MRxSrvCallWinnerNotify; Good or Bad. */
  private void constructSrvCall(RxContext ctx, SrvCall s) {
    NtStatus status;
    CompletableFuture<Void> pending = s.miniRdr.createSrvCall(s);
    if (pending == null) {
      s.updateCondition(Condition.BAD, NtStatus.INTERNAL_ERROR);
      throw new AssertionError("MRxCreateSrvCall must return a pending future");
    }
    try {
      rdr.await(ctx, pending);
      status = s.miniRdr.srvCallWinnerNotify(s, true);
    } catch (RuntimeException e) {
      RxException rx = RxException.of(e);
      s.updateCondition(Condition.BAD, rx.status());
      throw rx;
    }
    s.updateCondition(status == NtStatus.SUCCESS ? Condition.GOOD : Condition.BAD, status);
    if (status != NtStatus.SUCCESS) {
      throw new RxException(status, "MRxSrvCallWinnerNotify failed");
    }
  }

  /** RxConstructNetRoot: MRxCreateVNetRoot and the two statuses it reports (section 5.3). */
  private void constructNetRoot(RxContext ctx, VNetRoot v, boolean newNetRoot) {
    NetRoot n = v.netRoot;
    if (!newNetRoot) {
      n.waitForStableCondition(null);
      if (n.condition() != Condition.GOOD) {
        throw new RxException(NtStatus.BAD_NETWORK_PATH, "share unavailable: " + n.name());
      }
    }
    VNetRootResult r;
    try {
      r = rdr.await(ctx, n.srvCall.miniRdr.createVNetRoot(ctx, v));
    } catch (RuntimeException e) {
      RxException rx = RxException.of(e);
      v.updateCondition(Condition.BAD, rx.status());
      if (newNetRoot) {
        n.updateCondition(Condition.BAD, rx.status());
      }
      throw rx;
    }
    if (newNetRoot) {
      n.updateCondition(
          r.netRootStatus() == NtStatus.SUCCESS ? Condition.GOOD : Condition.BAD,
          r.netRootStatus());
    }
    if (r.netRootStatus() != NtStatus.SUCCESS) {
      NtStatus st = r.vNetRootStatus().isError() ? r.vNetRootStatus() : r.netRootStatus();
      v.updateCondition(Condition.BAD, st);
      throw new RxException(st, "cannot connect to " + n.name());
    }
    if (r.vNetRootStatus() != NtStatus.SUCCESS) {
      v.updateCondition(Condition.BAD, r.vNetRootStatus());
      throw new RxException(r.vNetRootStatus(), "cannot connect to " + n.name());
    }
    v.updateCondition(Condition.GOOD, NtStatus.SUCCESS);
  }

  /** A V_NET_ROOT whose construction failed: removed from the table and released. */
  private void abandon(VNetRoot v, SrvCall srvCall, NtStatus status) {
    if (v.condition() != Condition.BAD) {
      v.updateCondition(Condition.BAD, status);
    }
    rdr.prefixTable.lock().lockExclusive();
    try {
      rdr.finalization.finalizeVNetRoot(v, false, true);
      if (v.netRoot.condition() == Condition.BAD && !v.netRoot.nameAlreadyRemoved) {
        rdr.prefixTable.remove(v.netRoot.name(), v.netRoot);
        v.netRoot.nameAlreadyRemoved = true;
      }
      if (srvCall.condition() == Condition.BAD && !srvCall.upperFinalizationDone) {
        rdr.prefixTable.remove(srvCall.name(), srvCall);
      }
      rdr.refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  private VNetRoot awaitGood(RxContext ctx, VNetRoot v) {
    NtStatus w = v.waitForStableCondition(ctx.mayWait() ? ctx : null);
    if (w != NtStatus.SUCCESS || v.condition() != Condition.GOOD) {
      release(v);
      throw new RxException(
          w == NtStatus.CANCELLED ? w : NtStatus.BAD_NETWORK_PATH, "connection not usable: " + v);
    }
    if (v.netRoot.condition() == Condition.BAD) {
      release(v);
      throw new RxException(NtStatus.BAD_NETWORK_PATH, "share unavailable: " + v.netRoot.name());
    }
    return v;
  }

  /** Drops a caller's reference on a V_NET_ROOT, finalizing it if it was the last. */
  void release(VNetRoot v) {
    if (rdr.refs.dereferenceIfStillReferenced(v)) {
      return;
    }
    rdr.prefixTable.lock().lockExclusive();
    try {
      rdr.refs.dereference(v, LockHoldingState.EXCLUSIVE_LOCK_HELD);
    } finally {
      rdr.prefixTable.lock().unlockExclusive();
    }
  }

  private SrvCall liveSrvCall(String name) {
    PrefixTable.Lookup l = rdr.prefixTable.lookup(name, 0);
    if (l != null && l.node() instanceof SrvCall s && l.remainingName().isEmpty()) {
      if (s.condition() == Condition.BAD) {
        rdr.prefixTable.remove(s.name(), s);
        if (s.isScavengerMarked()) {
          rdr.refs.dereferenceFromScavenger(s);
        }
        return null;
      }
      return s;
    }
    return null;
  }

  /** The NET_ROOT an exact lookup of its name finds (directly or through a V_NET_ROOT). */
  private NetRoot netRootNamed(String name, long connectionId) {
    PrefixTable.Lookup l = rdr.prefixTable.lookup(name, connectionId);
    if (l == null || !l.remainingName().isEmpty()) {
      return null;
    }
    return switch (l.node()) {
      case VNetRoot v -> v.netRoot;
      case NetRoot r -> r;
      default -> null;
    };
  }

  private NetRoot liveNetRoot(String name) {
    NetRoot n = netRootNamed(name, 0);
    if (n != null
        && (n.condition() == Condition.BAD
            || n.srvCall.condition() == Condition.BAD
            || n.nameAlreadyRemoved)) {
      if (!n.nameAlreadyRemoved) {
        rdr.prefixTable.remove(n.name(), n);
        n.nameAlreadyRemoved = true;
      }
      // its views are unusable too: free their names for the replacement's views
      for (VNetRoot v : n.vNetRoots) {
        rdr.prefixTable.remove(v.name(), v);
      }
      return null;
    }
    return n;
  }

  private void requireExclusive() {
    if (!rdr.prefixTable.lock().isHeldExclusive()) {
      throw new IllegalStateException("prefix table must be held exclusive");
    }
  }
}
