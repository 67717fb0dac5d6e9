package org.rdbss4j.core;

/**
 * One FILE_NOTIFY_INFORMATION record of a change notification.
 *
 * @param action what happened
 * @param name the path relative to the watched directory
 */
public record ChangeEvent(Action action, String name) {
  /** FILE_ACTION_xxx values. */
  public enum Action {
    ADDED(1),
    REMOVED(2),
    MODIFIED(3),
    RENAMED_OLD_NAME(4),
    RENAMED_NEW_NAME(5),
    /** Not a file action: the server lost events (STATUS_NOTIFY_ENUM_DIR); re-list. */
    OVERFLOW(0);

    private final int code;

    Action(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
