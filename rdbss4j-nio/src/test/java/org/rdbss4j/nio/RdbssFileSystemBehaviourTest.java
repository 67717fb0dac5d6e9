package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.Path;

/** The behaviour suite on {@code \\local\share} through rdbss4j and the local mini-redirector. */
class RdbssFileSystemBehaviourTest extends FileSystemBehaviour {
  private RdbssFileSystem fs;

  @Override
  Path base() throws IOException {
    if (fs == null) {
      fs = open("share", "alice");
    }
    return fs.getPath("\\");
  }

  @Override
  Capabilities caps() {
    return Capabilities.LOCAL_SHARE;
  }
}
