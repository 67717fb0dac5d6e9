package org.rdbss4j.core;

/** Access masks, share modes, create dispositions, create options and attributes of NT. */
public final class FileAccess {
  public static final int FILE_READ_DATA = 0x1;
  public static final int FILE_LIST_DIRECTORY = 0x1;
  public static final int FILE_WRITE_DATA = 0x2;
  public static final int FILE_APPEND_DATA = 0x4;
  public static final int FILE_READ_EA = 0x8;
  public static final int FILE_WRITE_EA = 0x10;
  public static final int FILE_EXECUTE = 0x20;
  public static final int FILE_READ_ATTRIBUTES = 0x80;
  public static final int FILE_WRITE_ATTRIBUTES = 0x100;
  public static final int DELETE = 0x10000;
  public static final int READ_CONTROL = 0x20000;
  public static final int SYNCHRONIZE = 0x100000;
  public static final int GENERIC_READ =
      FILE_READ_DATA | FILE_READ_EA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;
  public static final int GENERIC_WRITE =
      FILE_WRITE_DATA
          | FILE_APPEND_DATA
          | FILE_WRITE_EA
          | FILE_WRITE_ATTRIBUTES
          | READ_CONTROL
          | SYNCHRONIZE;

  /** The raw generic rights of an ACCESS_MASK, before the generic mapping. */
  public static final int GENERIC_READ_RIGHT = 0x80000000;

  public static final int GENERIC_WRITE_RIGHT = 0x40000000;
  public static final int GENERIC_EXECUTE_RIGHT = 0x20000000;
  public static final int GENERIC_ALL_RIGHT = 0x10000000;

  public static final int FILE_SHARE_READ = 0x1;
  public static final int FILE_SHARE_WRITE = 0x2;
  public static final int FILE_SHARE_DELETE = 0x4;
  public static final int FILE_SHARE_ALL = 0x7;

  public static final int FILE_SUPERSEDE = 0;
  public static final int FILE_OPEN = 1;
  public static final int FILE_CREATE = 2;
  public static final int FILE_OPEN_IF = 3;
  public static final int FILE_OVERWRITE = 4;
  public static final int FILE_OVERWRITE_IF = 5;

  public static final int FILE_DIRECTORY_FILE = 0x1;
  public static final int FILE_NON_DIRECTORY_FILE = 0x40;
  public static final int FILE_DELETE_ON_CLOSE = 0x1000;
  public static final int FILE_OPEN_FOR_BACKUP_INTENT = 0x4000;

  public static final int ATTRIBUTE_READONLY = 0x1;
  public static final int ATTRIBUTE_HIDDEN = 0x2;
  public static final int ATTRIBUTE_SYSTEM = 0x4;
  public static final int ATTRIBUTE_DIRECTORY = 0x10;
  public static final int ATTRIBUTE_ARCHIVE = 0x20;
  public static final int ATTRIBUTE_NORMAL = 0x80;

  private FileAccess() {}

  /** Whether the access mask asks to change data (specific or generic rights). */
  public static boolean writes(int desiredAccess) {
    return (desiredAccess
            & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE_RIGHT | GENERIC_ALL_RIGHT))
        != 0;
  }

  /** Whether the access mask asks to read data (specific or generic rights). */
  public static boolean reads(int desiredAccess) {
    return (desiredAccess
            & (FILE_READ_DATA
                | FILE_EXECUTE
                | GENERIC_READ_RIGHT
                | GENERIC_EXECUTE_RIGHT
                | GENERIC_ALL_RIGHT))
        != 0;
  }
}
