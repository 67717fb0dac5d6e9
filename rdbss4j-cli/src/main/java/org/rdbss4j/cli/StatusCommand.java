package org.rdbss4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rdbss4j.service.protocol.ControlClient;
import org.rdbss4j.service.protocol.Json;
import org.rdbss4j.service.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rdr status}: the live object table, like {@code /proc/fs/cifs/DebugData}. */
@Command(
    name = "status",
    description =
        "Shows rdrd's live objects: SRV_CALLs, NET_ROOTs, V_NET_ROOTs (identity, outstanding"
            + " requests), FCBs, SRV_OPENs and FOBXs with reference counts and conditions, dormant"
            + " transports and mounts.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the table as JSON")
  boolean json;

  @Override
  public Integer call() {
    try (ControlClient c = ServiceConnection.connect(Rdr.home(), true)) {
      Map<String, Object> r = c.call(c.request(Protocol.STATUS));
      if (!Messages.ok(r)) {
        return Messages.replyError(System.err, r);
      }
      Map<?, ?> t = (Map<?, ?>) r.get("table");
      if (json) {
        System.out.println(Json.write(t));
      } else {
        print(System.out, t);
      }
      return Messages.OK;
    } catch (CliException e) {
      return Messages.systemError(System.err, e);
    } catch (IOException e) {
      return Messages.systemError(
          System.err, 31, "A device attached to the system is not functioning.", e.toString());
    }
  }

  private static List<?> list(Map<?, ?> m, String k) {
    return m.get(k) instanceof List<?> l ? l : List.of();
  }

  private static String head(Map<?, ?> m) {
    return "refs "
        + m.get("refs")
        + (m.containsKey("condition") ? "  " + m.get("condition") : "")
        + (Boolean.TRUE.equals(m.get("scavengerMarked")) ? "  scavenger-marked" : "")
        + (Boolean.TRUE.equals(m.get("upperFinalizationDone")) ? "  finalized" : "");
  }

  /** Bytes as B, KiB, MiB or GiB with one decimal. */
  static String size(Object bytes) {
    double b = bytes instanceof Number n ? n.doubleValue() : 0;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? String.format("%.0f B", b) : String.format("%.1f %s", b, units[u]);
  }

  static void print(PrintStream out, Map<?, ?> t) {
    out.println("rdbss4j redirector status");
    out.println(
        "Scavenger: "
            + t.get("scavenger")
            + "  delayed closes: "
            + t.get("delayedCloses")
            + "  prefix table entries: "
            + t.get("prefixTableEntries")
            + "  live objects: "
            + t.get("liveObjects"));
    out.println("FUSE: " + t.get("fuse"));
    if (t.get("dataCache") instanceof Map<?, ?> dc) {
      out.printf(
          "Data cache: %s cached of %s budget  dirty %s  hits %s  misses %s  evictions %s"
              + "  read ahead %s  write-back failures %s%n",
          size(dc.get("cachedBytes")),
          size(dc.get("budget")),
          size(dc.get("dirtyBytes")),
          dc.get("hits"),
          dc.get("misses"),
          dc.get("evictions"),
          size(dc.get("readAheadBytes")),
          dc.get("writeBackFailures"));
    }
    if (t.get("metadataCache") instanceof Map<?, ?> mc) {
      out.printf(
          "Metadata cache: %s entries  hits %s  misses %s%n",
          mc.get("entries"), mc.get("hits"), mc.get("misses"));
    }
    int i = 0;
    for (Object o : list(t, "srvCalls")) {
      Map<?, ?> s = (Map<?, ?>) o;
      out.printf(
          "%n%d) SRV_CALL %s  %s  mini-rdr %s%s  close-delayed %s/%s%n",
          ++i,
          s.get("name"),
          head(s),
          s.get("miniRedirector"),
          Boolean.TRUE.equals(s.get("dormant")) ? "  DORMANT transport" : "",
          s.get("closeDelayed"),
          s.get("maxCloseDelayed"));
      for (Object n : list(s, "netRoots")) {
        Map<?, ?> nr = (Map<?, ?>) n;
        out.printf(
            "   NET_ROOT %s  %s  type %s  fcbs %s  srv-opens %s%n",
            nr.get("name"), head(nr), nr.get("netRootType"), nr.get("fcbs"), nr.get("srvOpens"));
        for (Object v : list(nr, "vNetRoots")) {
          Map<?, ?> vn = (Map<?, ?>) v;
          out.printf(
              "      V_NET_ROOT %s  user %s (logon %s)  %s  device %s  opens %s  fobxs %s  pinned %s%s%n",
              vn.get("name"),
              vn.get("user"),
              vn.get("logonId"),
              head(vn),
              vn.get("device"),
              vn.get("numberOfOpens"),
              vn.get("numberOfFobxs"),
              vn.get("additionalReference"),
              String.valueOf(vn.get("mount")).isEmpty() ? "" : "  mounted " + vn.get("mount"));
          for (Object q : list(vn, "outstandingRequests")) {
            Map<?, ?> rq = (Map<?, ?>) q;
            out.printf(
                "         outstanding %s %s for %s%s%n",
                rq.get("function"),
                rq.get("path"),
                rq.get("user"),
                Boolean.TRUE.equals(rq.get("cancelled")) ? " (cancelled)" : "");
          }
        }
        for (Object f : list(nr, "openFcbs")) {
          Map<?, ?> fcb = (Map<?, ?>) f;
          out.printf(
              "      FCB \\%s  %s  %s  unclean %s  open %s  state %s%s%s%n",
              fcb.get("path"),
              head(fcb),
              Boolean.TRUE.equals(fcb.get("directory")) ? "dir" : "file",
              fcb.get("uncleanCount"),
              fcb.get("openCount"),
              fcb.get("state"),
              Boolean.TRUE.equals(fcb.get("orphaned")) ? "  ORPHANED" : "",
              fcb.get("cachedBytes") instanceof Number cached && cached.longValue() > 0
                  ? "  cached " + size(cached) + " (dirty " + size(fcb.get("dirtyBytes")) + ")"
                  : "");
          for (Object so : list(fcb, "srvOpens")) {
            Map<?, ?> sm = (Map<?, ?>) so;
            out.printf(
                "         SRV_OPEN via %s  %s  flags %s  caching %s%s%s%n",
                sm.get("vNetRoot"),
                head(sm),
                sm.get("flags"),
                sm.get("buffering") == null || "".equals(sm.get("buffering"))
                    ? "none"
                    : sm.get("buffering"),
                Boolean.TRUE.equals(sm.get("orphaned")) ? "  ORPHANED" : "",
                Boolean.TRUE.equals(sm.get("closeDelayed")) ? "  close-delayed" : "");
            for (Object fx : list(sm, "fobxs")) {
              Map<?, ?> xm = (Map<?, ?>) fx;
              out.printf(
                  "            FOBX #%s  %s  flags %s%s%n",
                  xm.get("serial"),
                  head(xm),
                  xm.get("flags"),
                  Boolean.TRUE.equals(xm.get("cleanedUp")) ? "  cleaned-up" : "");
            }
          }
        }
      }
    }
    if (i == 0) {
      out.println();
      out.println("No SRV_CALLs.");
    }
    for (Object o : list(t, "mounts")) {
      Map<?, ?> m = (Map<?, ?>) o;
      out.printf(
          "%nMount %s at %s  open handles %s%n",
          m.get("device"), m.get("path"), m.get("openHandles"));
    }
  }
}
