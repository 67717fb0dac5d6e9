package org.rdbss4j.core.provider;

import org.rdbss4j.core.NtStatus;

/**
 * Win32 error codes as {@code net use} reports them ("System error 2401 has occurred."), mapped
 * from NTSTATUS as Windows' RtlNtStatusToDosError does for the codes rdbss4j produces.
 */
public enum Win32Error {
  SUCCESS(0, "The command completed successfully."),
  FILE_NOT_FOUND(2, "The system cannot find the file specified."),
  PATH_NOT_FOUND(3, "The system cannot find the path specified."),
  ACCESS_DENIED(5, "Access is denied."),
  SHARING_VIOLATION(
      32, "The process cannot access the file because it is being used by another process."),
  LOCK_VIOLATION(
      33,
      "The process cannot access the file because another process has locked a portion of the file."),
  BAD_NETPATH(53, "The network path was not found."),
  UNEXP_NET_ERR(59, "An unexpected network error occurred."),
  NETNAME_DELETED(64, "The specified network name is no longer available."),
  BAD_NET_NAME(67, "The network name cannot be found."),
  ALREADY_ASSIGNED(85, "The local device name is already in use."),
  INVALID_PARAMETER(87, "The parameter is incorrect."),
  INVALID_NAME(123, "The filename, directory name, or volume label syntax is incorrect."),
  CANCELLED(1223, "The operation was canceled by the user."),
  LOGON_FAILURE(1326, "The user name or password is incorrect."),
  NOT_CONNECTED(2250, "This network connection does not exist."),
  OPEN_FILES(2401, "There are open files on the connection."),
  DEVICE_IN_USE(2404, "The device is being accessed by an active process."),
  GEN_FAILURE(31, "A device attached to the system is not functioning.");

  private final int code;
  private final String message;

  Win32Error(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  /** The message text as net.exe prints it. */
  public String message() {
    return message;
  }

  /** RtlNtStatusToDosError for the statuses rdbss4j produces; anything else is GEN_FAILURE. */
  public static Win32Error fromNtStatus(NtStatus s) {
    return switch (s) {
      case SUCCESS -> SUCCESS;
      case FILES_OPEN -> OPEN_FILES;
      case CONNECTION_IN_USE -> DEVICE_IN_USE;
      case OBJECT_NAME_NOT_FOUND, NO_SUCH_FILE -> FILE_NOT_FOUND;
      case OBJECT_PATH_NOT_FOUND -> PATH_NOT_FOUND;
      case ACCESS_DENIED, NETWORK_ACCESS_DENIED -> ACCESS_DENIED;
      case SHARING_VIOLATION -> SHARING_VIOLATION;
      case LOCK_NOT_GRANTED, FILE_LOCK_CONFLICT -> LOCK_VIOLATION;
      case BAD_NETWORK_PATH -> BAD_NETPATH;
      case UNEXPECTED_NETWORK_ERROR -> UNEXP_NET_ERR;
      case NETWORK_NAME_DELETED -> NETNAME_DELETED;
      case BAD_NETWORK_NAME -> BAD_NET_NAME;
      case OBJECT_NAME_COLLISION -> ALREADY_ASSIGNED;
      case INVALID_PARAMETER -> INVALID_PARAMETER;
      case OBJECT_NAME_INVALID, OBJECT_PATH_SYNTAX_BAD, NAME_TOO_LONG -> INVALID_NAME;
      case CANCELLED -> CANCELLED;
      case LOGON_FAILURE -> LOGON_FAILURE;
      default -> GEN_FAILURE;
    };
  }
}
