package org.rdbss4j.nio;

import java.nio.channels.ClosedChannelException;

/**
 * A channel closed because its file system's connection was deleted: a {@link
 * ClosedChannelException} whose message names the connection.
 */
final class ConnectionClosedException extends ClosedChannelException {
  private static final long serialVersionUID = 1L;

  private final String share;

  ConnectionClosedException(RdbssFileSystem fs) {
    this.share = fs.uncShare();
  }

  @Override
  public String getMessage() {
    return "the connection " + share + " was deleted; its file system is closed";
  }
}
