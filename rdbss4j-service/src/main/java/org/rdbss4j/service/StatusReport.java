package org.rdbss4j.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdbss4j.core.DataCache;
import org.rdbss4j.core.Fcb;
import org.rdbss4j.core.Fobx;
import org.rdbss4j.core.NetRoot;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxNode;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.SrvOpen;
import org.rdbss4j.core.VNetRoot;

/**
 * The live object table, as {@code /proc/fs/cifs/DebugData} shows the CIFS client's: every SRV_CALL
 * with its NET_ROOTs, each NET_ROOT with its V_NET_ROOTs (identity, outstanding requests) and its
 * FCBs, each FCB with its SRV_OPENs and their FOBXs; reference counts and conditions throughout.
 * Built from {@link Redirector#liveNodes()} and the nodes' getters.
 */
public final class StatusReport {
  private StatusReport() {}

  /** The table as nested maps and lists, ready for JSON. */
  public static Map<String, Object> build(RdrService service) {
    Redirector rdr = service.redirector();
    List<RxNode> nodes = rdr.liveNodes();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scavenger", rdr.scavenger().state().name());
    out.put("delayedCloses", rdr.scavenger().delayedCloseCount());
    out.put("prefixTableEntries", rdr.prefixTable().size());
    out.put("liveObjects", nodes.size());
    out.put("dataCache", dataCache(rdr.dataCache().stats()));
    org.rdbss4j.core.MetadataCache md = rdr.metadataCache();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("entries", md.size());
    meta.put("hits", md.hits());
    meta.put("misses", md.misses());
    out.put("metadataCache", meta);
    List<Object> srvCalls = new ArrayList<>();
    for (RxNode n : nodes) {
      if (n instanceof SrvCall s) {
        srvCalls.add(srvCall(s, nodes, service));
      }
    }
    out.put("srvCalls", srvCalls);
    List<Object> mounts = new ArrayList<>();
    for (DeviceMounter.Mount m : service.mounts().values()) {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("device", m.vNetRoot().localDevice());
      mm.put("path", m.path().toString());
      mm.put("openHandles", m.openHandles());
      mounts.add(mm);
    }
    out.put("mounts", mounts);
    out.put("fuse", service.mounter().available() ? "available" : service.mounter().reason());
    return out;
  }

  /** The data cache's figures (budget, bytes cached and dirty, hits, misses, evictions). */
  static Map<String, Object> dataCache(DataCache.Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("budget", s.budget());
    m.put("cachedBytes", s.cachedBytes());
    m.put("dirtyBytes", s.dirtyBytes());
    m.put("hits", s.hits());
    m.put("misses", s.misses());
    m.put("evictions", s.evictions());
    m.put("readAheadBytes", s.readAheadBytes());
    m.put("writeBackFailures", s.writeBackFailures());
    return m;
  }

  private static Map<String, Object> header(RxNode n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", n.nodeType().name());
    m.put("nodeTypeCode", String.format("0x%04X", n.nodeTypeCode()));
    m.put("refs", n.referenceCount());
    if (!(n instanceof Fobx)) {
      m.put("condition", n.condition().name());
    }
    if (n.isScavengerMarked()) {
      m.put("scavengerMarked", true);
    }
    if (n.isUpperFinalizationDone()) {
      m.put("upperFinalizationDone", true);
    }
    return m;
  }

  private static Map<String, Object> srvCall(SrvCall s, List<RxNode> nodes, RdrService svc) {
    Map<String, Object> m = header(s);
    m.put("name", s.name());
    m.put("miniRedirector", s.miniRedirector() == null ? "" : s.miniRedirector().name());
    m.put("port", s.port());
    m.put("dormant", s.isDormant());
    m.put("flags", String.format("0x%X", s.flags()));
    m.put("domain", s.domainName() == null ? "" : s.domainName());
    m.put("closeDelayed", s.numberOfCloseDelayedFiles());
    m.put("maxCloseDelayed", s.maximumNumberOfCloseDelayedFiles());
    List<Object> netRoots = new ArrayList<>();
    for (RxNode n : nodes) {
      if (n instanceof NetRoot nr && nr.srvCall() == s) {
        netRoots.add(netRoot(nr, nodes, svc));
      }
    }
    m.put("netRoots", netRoots);
    return m;
  }

  private static Map<String, Object> netRoot(NetRoot nr, List<RxNode> nodes, RdrService svc) {
    Map<String, Object> m = header(nr);
    m.put("name", nr.name());
    m.put("netRootType", nr.type() == null ? "" : nr.type().name());
    m.put("fcbs", nr.numberOfFcbs());
    m.put("srvOpens", nr.numberOfSrvOpens());
    List<Object> vs = new ArrayList<>();
    List<Object> fcbs = new ArrayList<>();
    for (RxNode n : nodes) {
      if (n instanceof VNetRoot v && v.netRoot() == nr) {
        vs.add(vNetRoot(v, svc));
      } else if (n instanceof Fcb f && f.netRoot() == nr) {
        fcbs.add(fcb(f, nodes, svc));
      }
    }
    m.put("vNetRoots", vs);
    m.put("openFcbs", fcbs);
    return m;
  }

  private static Map<String, Object> vNetRoot(VNetRoot v, RdrService svc) {
    Map<String, Object> m = header(v);
    m.put("name", v.name());
    m.put("user", v.identity().userName());
    m.put("logonId", v.logonId());
    m.put("sessionId", v.sessionId());
    m.put("device", v.localDevice() == null ? "" : v.localDevice());
    m.put("explicit", v.isExplicitConnection());
    m.put("additionalReference", v.isAdditionalReferenceTaken());
    m.put("connectionFinalizationDone", v.isConnectionFinalizationDone());
    m.put("numberOfOpens", v.numberOfOpens());
    m.put("numberOfFobxs", v.numberOfFobxs());
    DeviceMounter.Mount mount = svc.mounts().get(v);
    m.put("mount", mount == null ? "" : mount.path().toString());
    List<Object> out = new ArrayList<>();
    for (RxContext c : v.outstandingRequests()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("function", c.majorFunction().name());
      r.put("path", c.path() == null ? "" : c.path());
      r.put("user", c.identity().userName());
      r.put("cancelled", c.isCancelled());
      r.put("cancelRoutine", c.hasCancelRoutine());
      out.add(r);
    }
    m.put("outstandingRequests", out);
    return m;
  }

  private static Map<String, Object> fcb(Fcb f, List<RxNode> nodes, RdrService service) {
    Map<String, Object> m = header(f);
    m.put("path", f.path());
    m.put("directory", f.isDirectory());
    m.put("state", String.format("0x%X", f.state()));
    m.put("orphaned", f.isOrphaned());
    m.put("uncleanCount", f.uncleanCount());
    m.put("openCount", f.openCount());
    m.put("cachedBytes", service.redirector().dataCache().cachedBytes(f));
    m.put("dirtyBytes", service.redirector().dataCache().dirtyBytes(f));
    m.put("createdThrough", f.vNetRoot() == null ? "" : f.vNetRoot().name());
    List<Object> opens = new ArrayList<>();
    for (RxNode n : nodes) {
      if (n instanceof SrvOpen so && so.fcb() == f) {
        opens.add(srvOpen(so, nodes));
      }
    }
    m.put("srvOpens", opens);
    return m;
  }

  private static Map<String, Object> srvOpen(SrvOpen so, List<RxNode> nodes) {
    Map<String, Object> m = header(so);
    m.put("vNetRoot", so.vNetRoot().name());
    m.put("flags", String.format("0x%X", so.flags()));
    m.put("orphaned", so.isOrphaned());
    m.put("closeDelayed", so.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED));
    StringBuilder grant = new StringBuilder();
    for (org.rdbss4j.core.Buffering b : org.rdbss4j.core.Buffering.values()) {
      if (so.buffering().contains(b)) {
        grant.append(b.name().charAt(0));
      }
    }
    m.put("buffering", grant.toString());
    m.put("desiredAccess", String.format("0x%X", so.desiredAccess()));
    m.put("shareAccess", String.format("0x%X", so.shareAccess()));
    m.put("openCount", so.openCount());
    m.put("uncleanFobxCount", so.uncleanFobxCount());
    List<Object> fobxs = new ArrayList<>();
    for (RxNode n : nodes) {
      if (n instanceof Fobx fx && fx.srvOpen() == so) {
        Map<String, Object> x = header(fx);
        x.put("serial", fx.serial());
        x.put("flags", String.format("0x%X", fx.flags()));
        x.put("cleanedUp", fx.isCleanedUp());
        x.put("delayedClose", fx.isDelayedClose());
        fobxs.add(x);
      }
    }
    m.put("fobxs", fobxs);
    return m;
  }
}
