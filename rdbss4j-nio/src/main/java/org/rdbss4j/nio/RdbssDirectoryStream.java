package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.rdbss4j.core.FileInfo;

/**
 * The entries of a share directory, listed in one directory query when the stream opens (the
 * directory handle is closed at once) and filtered on the client; {@code .} and {@code ..} are
 * never listed. Registered with its file system, so closing the file system ends the iteration.
 */
final class RdbssDirectoryStream implements DirectoryStream<Path> {
  private final RdbssPath dir;
  private final List<FileInfo> entries;
  private final Filter<? super Path> filter;
  private volatile boolean closed;
  private boolean iterated;

  private RdbssDirectoryStream(RdbssPath dir, List<FileInfo> entries, Filter<? super Path> filter) {
    this.dir = dir;
    this.entries = entries;
    this.filter = filter;
  }

  static RdbssDirectoryStream open(RdbssPath dir, Filter<? super Path> filter) throws IOException {
    List<FileInfo> entries = dir.getFileSystem().session().list(dir);
    return dir.getFileSystem().register(new RdbssDirectoryStream(dir, entries, filter));
  }

  @Override
  public synchronized Iterator<Path> iterator() {
    if (closed) {
      throw new IllegalStateException("directory stream closed");
    }
    if (iterated) {
      throw new IllegalStateException("iterator already obtained");
    }
    iterated = true;
    return new Iterator<>() {
      private int next;
      private Path ahead;

      @Override
      public boolean hasNext() {
        while (ahead == null && !closed && next < entries.size()) {
          Path p = dir.resolve(entries.get(next++).name());
          try {
            if (filter == null || filter.accept(p)) {
              ahead = p;
            }
          } catch (IOException e) {
            throw new DirectoryIteratorException(e);
          }
        }
        return ahead != null;
      }

      @Override
      public Path next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Path p = ahead;
        ahead = null;
        return p;
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    dir.getFileSystem().unregister(this);
  }
}
