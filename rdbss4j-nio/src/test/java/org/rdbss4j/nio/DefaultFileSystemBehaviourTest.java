package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The behaviour suite on the default file system, in a temporary directory. */
class DefaultFileSystemBehaviourTest extends FileSystemBehaviour {
  private Path base;

  @Override
  Path base() throws IOException {
    if (base == null) {
      base = Files.createDirectory(tmp.resolve("default"));
    }
    return base;
  }

  @Override
  Capabilities caps() {
    return Capabilities.LINUX;
  }
}
