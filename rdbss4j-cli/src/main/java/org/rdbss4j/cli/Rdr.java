package org.rdbss4j.cli;

import org.rdbss4j.service.RdrHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code rdr}, the command line of rdbss4j ("net.exe"): talks to rdrd over its control socket in
 * {@code RDR_HOME} (default {@code ~/.rdr}), starting rdrd on demand. Exit code 0 on success, 2 on
 * any error.
 */
@Command(
    name = "rdr",
    mixinStandardHelpOptions = true,
    version = "rdr 0.1.0 (rdbss4j)",
    description = "A network redirector on the object model of the Windows RDBSS.",
    subcommands = {
      UseCommand.class,
      StatusCommand.class,
      WatchCommand.class,
      CopyCommand.class,
      ServiceCommand.class,
      HelpCommand.class
    })
public final class Rdr implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static RdrHome home() {
    return RdrHome.fromEnvironment();
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new Rdr());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          System.err.println("rdr: " + ex);
          return Messages.ERROR;
        });
    cl.setExitCodeExceptionMapper(t -> Messages.ERROR);
    System.exit(cl.execute(args));
  }
}
