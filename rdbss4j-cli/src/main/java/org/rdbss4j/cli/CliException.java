package org.rdbss4j.cli;

import org.rdbss4j.core.provider.Win32Error;

/** A failure to report as net.exe does ("System error N has occurred."), exit code 2. */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int win32;
  private final String text;

  CliException(Win32Error e, String detail) {
    this(e.code(), e.message(), detail);
  }

  CliException(int win32, String text, String detail) {
    super(detail);
    this.win32 = win32;
    this.text = text;
  }

  int win32() {
    return win32;
  }

  String text() {
    return text;
  }
}
