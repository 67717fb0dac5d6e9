package org.rdbss4j.nio;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_NORMAL;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_CREATE;
import static org.rdbss4j.core.FileAccess.FILE_DELETE_ON_CLOSE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_OPEN_IF;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE_IF;
import static org.rdbss4j.core.FileAccess.FILE_READ_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;
import static org.rdbss4j.core.FileAccess.GENERIC_WRITE;
import static org.rdbss4j.core.FileAccess.SYNCHRONIZE;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import org.rdbss4j.core.CreateRequest;

/**
 * {@link OpenOption}s as the parameters of an NT open, the way the JDK's Windows channel factory
 * maps them: READ and WRITE to generic access, CREATE_NEW to FILE_CREATE, CREATE to FILE_OPEN_IF,
 * TRUNCATE_EXISTING to FILE_OVERWRITE(_IF), DELETE_ON_CLOSE to FILE_DELETE_ON_CLOSE; every open
 * shares read, write and delete, as the JDK's do. {@code dos:} attributes given at creation become
 * the new file's attributes.
 *
 * @param request the open, with an empty path
 * @param read the channel may read
 * @param write the channel may write
 * @param append every write goes to the end of the file
 * @param sync data is flushed after every write (SYNC, DSYNC)
 */
record OpenOptions(
    CreateRequest request, boolean read, boolean write, boolean append, boolean sync) {

  /** The open for these options and attributes. */
  static OpenOptions of(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
    boolean read = options.contains(StandardOpenOption.READ);
    boolean write = options.contains(StandardOpenOption.WRITE);
    boolean append = options.contains(StandardOpenOption.APPEND);
    boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING);
    for (OpenOption o : options) {
      if (!(o instanceof StandardOpenOption) && o != LinkOption.NOFOLLOW_LINKS) {
        throw new UnsupportedOperationException("unsupported open option: " + o);
      }
    }
    if (append && (read || truncate)) {
      throw new IllegalArgumentException("APPEND is not allowed with READ or TRUNCATE_EXISTING");
    }
    write |= append;
    read |= !write;
    int disposition = FILE_OPEN;
    if (write) {
      boolean createNew = options.contains(StandardOpenOption.CREATE_NEW);
      boolean create = options.contains(StandardOpenOption.CREATE);
      if (createNew) {
        disposition = FILE_CREATE;
      } else if (create) {
        disposition = truncate ? FILE_OVERWRITE_IF : FILE_OPEN_IF;
      } else if (truncate) {
        disposition = FILE_OVERWRITE;
      }
    }
    int access = FILE_READ_ATTRIBUTES | SYNCHRONIZE;
    access |= read ? GENERIC_READ : 0;
    access |= write ? GENERIC_WRITE : 0;
    int createOptions = FILE_NON_DIRECTORY_FILE;
    if (options.contains(StandardOpenOption.DELETE_ON_CLOSE)) {
      access |= DELETE;
      createOptions |= FILE_DELETE_ON_CLOSE;
    }
    int attributes = AttributeViews.dosAttributesOf(attrs);
    boolean sync =
        options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
    return new OpenOptions(
        new CreateRequest(
            "",
            access,
            FILE_SHARE_ALL,
            disposition,
            createOptions,
            attributes == 0 ? ATTRIBUTE_NORMAL : attributes),
        read,
        write,
        append,
        sync);
  }
}
