package org.rdbss4j.service.fuse;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_READONLY;

import java.time.Instant;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;
import org.rdbss4j.core.FileInfo;

/**
 * FILE_NETWORK_OPEN_INFORMATION as a {@code struct stat}: directories 0755, files 0644 (0444 when
 * read-only), owned by the calling uid and gid.
 */
final class Stats {
  private Stats() {}

  static void fill(Stat stat, FileInfo info) {
    boolean ro = (info.attributes() & ATTRIBUTE_READONLY) != 0;
    if (info.directory()) {
      stat.setMode(Stat.S_IFDIR | 0755);
      stat.setNLink((short) 2);
    } else {
      stat.setMode(Stat.S_IFREG | (ro ? 0444 : 0644));
      stat.setNLink((short) 1);
    }
    stat.setSize(info.size());
    stat.setUid(FuseNative.callerUid());
    stat.setGid(FuseNative.callerGid());
    set(stat.aTime(), info.lastAccessTime());
    set(stat.mTime(), info.lastWriteTime());
    set(stat.cTime(), info.changeTime());
    set(stat.birthTime(), info.creationTime());
  }

  private static void set(TimeSpec t, Instant i) {
    t.set(i == null ? Instant.EPOCH : i);
  }
}
