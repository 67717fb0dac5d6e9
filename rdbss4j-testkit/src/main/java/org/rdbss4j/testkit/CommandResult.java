package org.rdbss4j.testkit;

/**
 * The outcome of an external command such as {@code smbclient}: its exit code and its standard
 * output and standard error, interleaved.
 *
 * @param exitCode the exit status, or -1 when the command was killed after its timeout
 * @param output everything the command printed
 */
public record CommandResult(int exitCode, String output) {

  /** Whether the command exited with status 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + ": " + output;
  }
}
