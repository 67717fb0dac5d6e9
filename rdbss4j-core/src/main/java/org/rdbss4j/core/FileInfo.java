package org.rdbss4j.core;

import java.time.Instant;

/**
 * Times, sizes and attributes of a file (FILE_NETWORK_OPEN_INFORMATION), and the name when it is a
 * directory entry.
 */
public record FileInfo(
    String name,
    boolean directory,
    long size,
    long allocationSize,
    Instant creationTime,
    Instant lastAccessTime,
    Instant lastWriteTime,
    Instant changeTime,
    int attributes,
    long fileId) {

  public FileInfo withName(String n) {
    return new FileInfo(
        n,
        directory,
        size,
        allocationSize,
        creationTime,
        lastAccessTime,
        lastWriteTime,
        changeTime,
        attributes,
        fileId);
  }
}
