package org.rdbss4j.core;

import static org.rdbss4j.core.FileAccess.*;

/**
 * The parameters of an open (IRP_MJ_CREATE): relative path, desired access, share access,
 * disposition, options and attributes for a new file.
 *
 * @param path the path below the share, backslash separated, empty for the share's root
 */
public record CreateRequest(
    String path,
    int desiredAccess,
    int shareAccess,
    int disposition,
    int createOptions,
    int fileAttributes) {

  /** Opens an existing file or directory for reading, sharing everything. */
  public static CreateRequest openRead(String path) {
    return new CreateRequest(path, GENERIC_READ, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
  }

  /** Opens or creates a file for reading and writing, sharing read and write. */
  public static CreateRequest openReadWrite(String path) {
    return new CreateRequest(
        path,
        GENERIC_READ | GENERIC_WRITE,
        FILE_SHARE_READ | FILE_SHARE_WRITE,
        FILE_OPEN_IF,
        FILE_NON_DIRECTORY_FILE,
        ATTRIBUTE_NORMAL);
  }

  /** Opens a directory to list or watch it. */
  public static CreateRequest openDirectory(String path) {
    return new CreateRequest(path, GENERIC_READ, FILE_SHARE_ALL, FILE_OPEN, FILE_DIRECTORY_FILE, 0);
  }

  /** Creates a new directory. */
  public static CreateRequest createDirectory(String path) {
    return new CreateRequest(
        path, GENERIC_READ, FILE_SHARE_ALL, FILE_CREATE, FILE_DIRECTORY_FILE, ATTRIBUTE_DIRECTORY);
  }

  public CreateRequest withPath(String newPath) {
    return new CreateRequest(
        newPath, desiredAccess, shareAccess, disposition, createOptions, fileAttributes);
  }

  public CreateRequest withDisposition(int d) {
    return new CreateRequest(path, desiredAccess, shareAccess, d, createOptions, fileAttributes);
  }

  public CreateRequest withShareAccess(int s) {
    return new CreateRequest(path, desiredAccess, s, disposition, createOptions, fileAttributes);
  }

  public CreateRequest withAccess(int a) {
    return new CreateRequest(path, a, shareAccess, disposition, createOptions, fileAttributes);
  }

  public CreateRequest withOptions(int o) {
    return new CreateRequest(path, desiredAccess, shareAccess, disposition, o, fileAttributes);
  }

  public boolean isDeleteOnClose() {
    return (createOptions & FILE_DELETE_ON_CLOSE) != 0;
  }

  public boolean isBackupIntent() {
    return (createOptions & FILE_OPEN_FOR_BACKUP_INTENT) != 0;
  }

  public boolean wantsDirectory() {
    return (createOptions & FILE_DIRECTORY_FILE) != 0;
  }
}
