package org.rdbss4j.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One open file or directory, shared by all its handles across every V_NET_ROOT: its current path,
 * the handles' share modes, its byte-range locks and its delete-pending state. Keyed in the {@link
 * ShareAccessTable} by the file's identity (device and inode), so it follows renames. Fields other
 * than {@link #locks} are guarded by the table's lock.
 */
final class FileNode {
  final Object key;
  final boolean directory;
  final ByteRangeLocks locks = new ByteRangeLocks();
  final List<LocalHandle> handles = new ArrayList<>();
  private volatile Path path;

  /** The file is deleted when its last handle closes (FileDispositionInformation). */
  boolean deletePending;

  FileNode(Object key, Path path, boolean directory) {
    this.key = key;
    this.path = path;
    this.directory = directory;
  }

  /** The file's current real path. */
  Path path() {
    return path;
  }

  void moveTo(Path newPath) {
    this.path = newPath;
  }
}
