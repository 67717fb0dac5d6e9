package org.rdbss4j.nio;

import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;

/**
 * The basic and DOS attributes of a share file, read in one query (FILE_NETWORK_OPEN_INFORMATION).
 * A share has no symbolic links or special files to show: an entry is a regular file or a
 * directory. The file key is the share and the server's file id.
 *
 * @param info what the server returned
 * @param key the file key
 */
record ShareFileAttributes(FileInfo info, FileKey key) implements DosFileAttributes {

  /**
   * The identity of a file on a share: equal for two paths (or two file systems of one share) that
   * name the same file.
   *
   * @param share the share, {@code \\SERVER\SHARE} upper-cased
   * @param fileId the file id the server reports
   */
  record FileKey(String share, long fileId) {}

  static ShareFileAttributes of(RdbssFileSystem fs, FileInfo info) {
    return new ShareFileAttributes(
        info, new FileKey(fs.uncShare().toUpperCase(java.util.Locale.ROOT), info.fileId()));
  }

  private static FileTime time(Instant i) {
    return FileTime.from(i == null ? Instant.EPOCH : i);
  }

  private boolean has(int attribute) {
    return (info.attributes() & attribute) != 0;
  }

  @Override
  public FileTime lastModifiedTime() {
    return time(info.lastWriteTime());
  }

  @Override
  public FileTime lastAccessTime() {
    return time(info.lastAccessTime());
  }

  @Override
  public FileTime creationTime() {
    return time(info.creationTime());
  }

  @Override
  public boolean isRegularFile() {
    return !info.directory();
  }

  @Override
  public boolean isDirectory() {
    return info.directory();
  }

  @Override
  public boolean isSymbolicLink() {
    return false;
  }

  @Override
  public boolean isOther() {
    return false;
  }

  @Override
  public long size() {
    return info.size();
  }

  @Override
  public FileKey fileKey() {
    return key;
  }

  @Override
  public boolean isReadOnly() {
    return has(FileAccess.ATTRIBUTE_READONLY);
  }

  @Override
  public boolean isHidden() {
    return has(FileAccess.ATTRIBUTE_HIDDEN);
  }

  @Override
  public boolean isArchive() {
    return has(FileAccess.ATTRIBUTE_ARCHIVE);
  }

  @Override
  public boolean isSystem() {
    return has(FileAccess.ATTRIBUTE_SYSTEM);
  }
}
