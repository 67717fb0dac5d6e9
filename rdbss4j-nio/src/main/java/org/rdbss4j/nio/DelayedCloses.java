package org.rdbss4j.nio;

import java.util.Locale;
import org.rdbss4j.core.Fcb;
import org.rdbss4j.core.Fobx;
import org.rdbss4j.core.SrvOpen;

/**
 * The redirector's delayed closes below a directory: server handles the core keeps open after their
 * last close (for collapsing) that make the server refuse a rename of the directory, as a Windows
 * server refuses to rename a directory with open files below it.
 *
 * <p>RDBSS scavenges a NET_ROOT's delayed closes before such a rename (RxScavengeFobxsForNetRoot
 * from RxCommonSetInformation); the core does not yet, and has no public way to scavenge one
 * NET_ROOT, so the provider runs a full scavenger pass and retries once. The pass also finalizes
 * the redirector's other idle objects early, which costs reconnects, never correctness.
 */
final class DelayedCloses {
  private DelayedCloses() {}

  /** Whether the core holds a delayed close on a file below the directory. */
  static boolean anyBelow(RdbssPath dir) {
    String prefix = dir.sharePath().toUpperCase(Locale.ROOT) + "\\";
    for (Fcb fcb : dir.getFileSystem().vNetRoot().netRoot().fcbTable().snapshot()) {
      if (!fcb.path().toUpperCase(Locale.ROOT).startsWith(prefix)) {
        continue;
      }
      for (SrvOpen s : fcb.srvOpens()) {
        for (Fobx f : s.fobxs()) {
          if (f.isDelayedClose()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Really closes every delayed close of the redirector (one full scavenger pass). */
  static void scavenge(RdbssPath dir) {
    dir.getFileSystem().redirector().scavenger().runOnce(true);
  }
}
