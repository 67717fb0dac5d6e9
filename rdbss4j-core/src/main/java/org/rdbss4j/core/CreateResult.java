package org.rdbss4j.core;

/**
 * What MRxCreate reports: what it did and the file's information.
 *
 * @param action FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN or FILE_SUPERSEDED
 */
public record CreateResult(Action action, FileInfo info) {
  /** The create action (FILE_xxx information values). */
  public enum Action {
    SUPERSEDED,
    OPENED,
    CREATED,
    OVERWRITTEN
  }
}
