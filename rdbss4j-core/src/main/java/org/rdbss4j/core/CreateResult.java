package org.rdbss4j.core;

import java.util.Set;

/**
 * What MRxCreate reports: what it did, the file's information and what the server lets the client
 * cache for this open.
 *
 * @param action FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN or FILE_SUPERSEDED
 * @param info the file's information after the create
 * @param buffering the caching granted (oplock or lease); empty when none
 */
public record CreateResult(Action action, FileInfo info, Set<Buffering> buffering) {
  /** The create action (FILE_xxx information values). */
  public enum Action {
    SUPERSEDED,
    OPENED,
    CREATED,
    OVERWRITTEN
  }

  public CreateResult {
    buffering = Set.copyOf(buffering);
  }

  /** A result with no caching granted. */
  public CreateResult(Action action, FileInfo info) {
    this(action, info, Set.of());
  }
}
