package org.rdbss4j.cli;

import java.io.PrintStream;
import java.util.Map;
import org.rdbss4j.core.provider.Win32Error;

/** Output in net.exe's words, and the exit codes: 0 on success, 2 on any error. */
final class Messages {
  static final int OK = 0;
  static final int ERROR = 2;

  private Messages() {}

  static int success(PrintStream out) {
    out.println(Win32Error.SUCCESS.message());
    return OK;
  }

  /** "System error N has occurred.", a blank line, the message, a blank line; returns 2. */
  static int systemError(PrintStream err, int code, String text, String detail) {
    err.println("System error " + code + " has occurred.");
    err.println();
    err.println(text);
    if (code == Win32Error.GEN_FAILURE.code() && detail != null && !detail.isEmpty()) {
      err.println(detail);
    }
    err.println();
    return ERROR;
  }

  static int systemError(PrintStream err, CliException e) {
    return systemError(err, e.win32(), e.text(), e.getMessage());
  }

  /** Prints the error of a failed reply from rdrd; returns 2. */
  static int replyError(PrintStream err, Map<String, Object> reply) {
    return systemError(err, win32(reply), text(reply), String.valueOf(reply.get("message")));
  }

  static int win32(Map<String, Object> reply) {
    return reply.get("win32") instanceof Long l ? l.intValue() : Win32Error.GEN_FAILURE.code();
  }

  /** The Win32 message of a reply's error code, as net.exe words it. */
  static String text(Map<String, Object> reply) {
    int code = win32(reply);
    for (Win32Error e : Win32Error.values()) {
      if (e.code() == code) {
        return e.message();
      }
    }
    return String.valueOf(reply.get("message"));
  }

  static boolean ok(Map<String, Object> reply) {
    return Boolean.TRUE.equals(reply.get("ok"));
  }
}
