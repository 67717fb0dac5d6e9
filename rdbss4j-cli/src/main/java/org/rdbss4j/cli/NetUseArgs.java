package org.rdbss4j.cli;

import java.util.List;
import java.util.Locale;

/**
 * The arguments of {@code rdr use}, in {@code net use} spellings (switches case-insensitive):
 * {@code [X:] [\\server\share] [*] [/user:[domain\]name] [/tcpport:N] [/persistent:yes|no]
 * [/mount:PATH] [/delete|/d] [/y|/n] [/lazy] [/force:N] [/closetransport]}.
 */
final class NetUseArgs {
  String device;
  String unc;
  boolean askPassword;
  String user = "";
  String domain = "";
  int port;
  boolean persistent;
  String mountPoint;
  boolean delete;
  boolean yes;
  boolean no;
  boolean lazy;
  Long force;
  boolean closeTransport;

  /** A malformed command line; the message says what is wrong. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String m) {
      super(m);
    }
  }

  static NetUseArgs parse(List<String> args) throws UsageException {
    NetUseArgs a = new NetUseArgs();
    for (String arg : args) {
      if (arg.startsWith("/") && !arg.startsWith("//")) {
        a.option(arg);
      } else if (arg.equals("*")) {
        a.askPassword = true;
      } else if (isDevice(arg) && a.device == null && a.unc == null) {
        a.device = arg.toUpperCase(Locale.ROOT);
      } else if ((arg.startsWith("\\\\") || arg.startsWith("//")) && a.unc == null) {
        a.unc = arg.replace('/', '\\');
      } else if (a.unc != null || a.device != null) {
        throw new UsageException(
            "A password on the command line is refused: any user can read it in the process list."
                + " Type * to be asked for it (or pipe it on standard input),"
                + " or set the RDR_PASSWORD environment variable.");
      } else {
        throw new UsageException("Not a device (X:) or a UNC name (\\\\server\\share): " + arg);
      }
    }
    if (a.yes && a.no) {
      throw new UsageException("/Y and /N contradict each other.");
    }
    if (!a.delete && (a.yes || a.no || a.lazy || a.force != null || a.closeTransport)) {
      throw new UsageException("/Y, /N, /LAZY, /FORCE and /CLOSETRANSPORT go with /DELETE.");
    }
    if (a.delete && a.device == null && a.unc == null) {
      throw new UsageException("/DELETE needs a device (X:) or a UNC name.");
    }
    return a;
  }

  static boolean isDevice(String s) {
    return s.length() == 2 && s.charAt(1) == ':' && Character.isLetter(s.charAt(0));
  }

  private void option(String arg) throws UsageException {
    int colon = arg.indexOf(':');
    String name = (colon < 0 ? arg : arg.substring(0, colon)).toLowerCase(Locale.ROOT);
    String value = colon < 0 ? null : arg.substring(colon + 1);
    switch (name) {
      case "/delete", "/d" -> delete = true;
      case "/y", "/yes" -> yes = true;
      case "/n", "/no" -> no = true;
      case "/lazy" -> lazy = true;
      case "/closetransport" -> closeTransport = true;
      case "/force" -> force = number(arg, value);
      case "/user", "/u" -> user(arg, value);
      case "/tcpport" -> {
        long p = number(arg, value);
        if (p < 1 || p > 65535) {
          throw new UsageException("/TCPPORT takes a port from 1 to 65535.");
        }
        port = (int) p;
      }
      case "/persistent", "/p" -> {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (!v.equals("yes") && !v.equals("no")) {
          throw new UsageException("/PERSISTENT takes YES or NO.");
        }
        persistent = v.equals("yes");
      }
      case "/mount" -> {
        if (value == null || !value.startsWith("/")) {
          throw new UsageException("/MOUNT takes an absolute path.");
        }
        mountPoint = value;
      }
      default -> throw new UsageException("Unknown switch: " + arg);
    }
  }

  private void user(String arg, String value) throws UsageException {
    if (value == null || value.isEmpty()) {
      throw new UsageException("/USER takes [domain\\]name: " + arg);
    }
    int bs = value.indexOf('\\');
    int at = value.indexOf('@');
    if (bs >= 0) {
      domain = value.substring(0, bs);
      user = value.substring(bs + 1);
    } else if (at >= 0) {
      user = value.substring(0, at);
      domain = value.substring(at + 1);
    } else {
      user = value;
    }
  }

  private static long number(String arg, String value) throws UsageException {
    try {
      String v = value == null ? "" : value.trim();
      return v.toLowerCase(Locale.ROOT).startsWith("0x")
          ? Long.parseLong(v.substring(2), 16)
          : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("Not a number: " + arg);
    }
  }
}
