package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import org.rdbss4j.core.VolumeAttributes;

/**
 * The share as a file store: its name is the share's UNC name, its type the mini-redirector's name,
 * and its sizes come from the server's volume information (MRxQueryVolumeInfo) at each call; its
 * read-only flag from the volume attributes, which the connection asks of the server once.
 */
final class RdbssFileStore extends FileStore {
  private final RdbssFileSystem fs;

  RdbssFileStore(RdbssFileSystem fs) {
    this.fs = fs;
  }

  @Override
  public String name() {
    return fs.uncShare();
  }

  @Override
  public String type() {
    return fs.vNetRoot().netRoot().srvCall().miniRedirector().name();
  }

  /**
   * Whether the share reports FILE_READ_ONLY_VOLUME (FileFsAttributeInformation, asked at each
   * call); {@code false} when the mini-redirector cannot tell or the query fails.
   */
  @Override
  public boolean isReadOnly() {
    try {
      return (fs.session().volumeAttributes() & VolumeAttributes.FILE_READ_ONLY_VOLUME) != 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public long getTotalSpace() throws IOException {
    return fs.session().volume()[0];
  }

  @Override
  public long getUsableSpace() throws IOException {
    return fs.session().volume()[1];
  }

  @Override
  public long getUnallocatedSpace() throws IOException {
    return fs.session().volume()[1];
  }

  @Override
  public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
    return type == BasicFileAttributeView.class || type == DosFileAttributeView.class;
  }

  @Override
  public boolean supportsFileAttributeView(String name) {
    return AttributeViews.SUPPORTED.contains(name);
  }

  @Override
  public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
    return null;
  }

  @Override
  public Object getAttribute(String attribute) throws IOException {
    return switch (attribute) {
      case "totalSpace" -> getTotalSpace();
      case "usableSpace" -> getUsableSpace();
      case "unallocatedSpace" -> getUnallocatedSpace();
      default -> throw new UnsupportedOperationException("no file store attribute " + attribute);
    };
  }

  @Override
  public String toString() {
    return name() + " (" + type() + ")";
  }
}
