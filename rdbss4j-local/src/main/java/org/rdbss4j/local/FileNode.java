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

  /** Size and modification time after this mini-redirector's last change ({@link #seen}). */
  private volatile long seenSize = -1;

  private volatile long seenModified;

  /** Records the file's size and time after a change made through one of its handles. */
  void remember() {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          java.nio.file.Files.readAttributes(
              path,
              java.nio.file.attribute.BasicFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
      seenModified = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
      seenSize = a.size();
    } catch (java.io.IOException e) {
      seenSize = -1;
    }
  }

  /** Whether the file still has the size and time {@link #remember} recorded. */
  boolean unchangedSinceRemembered() {
    long size = seenSize;
    long modified = seenModified;
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          java.nio.file.Files.readAttributes(
              path,
              java.nio.file.attribute.BasicFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return size >= 0
          && a.size() == size
          && a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) == modified;
    } catch (java.io.IOException e) {
      return false;
    }
  }

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
