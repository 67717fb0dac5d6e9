package org.rdbss4j.local;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * A configured share made ready to serve: its directory's real path (the confinement root) and what
 * its file system supports. Kept in the NET_ROOT's and V_NET_ROOT's context slots.
 *
 * @param share the configuration
 * @param realRoot the share directory with every symbolic link resolved
 * @param userXattrs whether the file system stores user extended attributes (for HIDDEN, SYSTEM and
 *     ARCHIVE)
 */
record ShareRoot(LocalConfig.Share share, Path realRoot, boolean userXattrs) {

  /** Resolves the share's directory; fails when it is missing or not a directory. */
  static ShareRoot open(LocalConfig.Share share) throws IOException {
    Path real = share.directory().toRealPath();
    if (!Files.isDirectory(real)) {
      throw new IOException("not a directory: " + real);
    }
    boolean xattrs;
    try {
      FileStore store = Files.getFileStore(real);
      xattrs = store.supportsFileAttributeView(UserDefinedFileAttributeView.class);
    } catch (IOException e) {
      xattrs = false;
    }
    return new ShareRoot(share, real, xattrs);
  }

  boolean readOnly() {
    return share.readOnly();
  }

  /** The share-relative name of a path below the root, backslash separated. */
  String relative(Path p) {
    Path r = realRoot.relativize(p);
    StringBuilder b = new StringBuilder();
    for (Path c : r) {
      if (!b.isEmpty()) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
