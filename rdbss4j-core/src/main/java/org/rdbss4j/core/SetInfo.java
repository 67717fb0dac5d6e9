package org.rdbss4j.core;

import java.time.Instant;

/** The information classes of IRP_MJ_SET_INFORMATION that rdbss4j supports. */
public sealed interface SetInfo {
  /** FileEndOfFileInformation: truncate or extend. */
  record EndOfFile(long size) implements SetInfo {}

  /** FileRenameInformation: a new path below the same share. */
  record Rename(String newPath, boolean replaceIfExists) implements SetInfo {}

  /** FileDispositionInformation: delete when the last handle closes. */
  record Disposition(boolean deleteFile) implements SetInfo {}

  /** FileBasicInformation: times and attributes; {@code null} or -1 leaves a field alone. */
  record Basic(Instant creationTime, Instant lastAccessTime, Instant lastWriteTime, int attributes)
      implements SetInfo {}
}
