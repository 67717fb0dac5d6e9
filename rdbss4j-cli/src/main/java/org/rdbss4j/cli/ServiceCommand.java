package org.rdbss4j.cli;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.rdbss4j.service.RdrHome;
import org.rdbss4j.service.protocol.ControlClient;
import org.rdbss4j.service.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rdr service start|stop|status}: manages rdrd for this {@code RDR_HOME}. */
@Command(
    name = "service",
    description = {
      "start: start rdrd (rdr also starts it on demand); stop: finalize every connection,"
          + " unmount and stop it; status: its pid, RDR_HOME, uptime and FUSE state."
    })
final class ServiceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "start|stop|status")
  String action;

  @Override
  public Integer call() {
    RdrHome home = Rdr.home();
    try {
      switch (action) {
        case "start" -> {
          if (ServiceConnection.running(home)) {
            System.out.println("The requested service has already been started.");
            return Messages.OK;
          }
          try (ControlClient c = ServiceConnection.connect(home, true)) {
            Map<String, Object> r = c.call(c.request(Protocol.PING));
            System.out.println(
                "The rdrd service was started successfully (pid " + r.get("pid") + ").");
          }
          return Messages.OK;
        }
        case "stop" -> {
          long pid;
          try (ControlClient c = ServiceConnection.connect(home, false)) {
            pid = (Long) c.call(c.request(Protocol.PING)).get("pid");
            System.out.println("The rdrd service is stopping.");
            Map<String, Object> r = c.call(c.request(Protocol.STOP));
            if (!Messages.ok(r)) {
              return Messages.replyError(System.err, r);
            }
          }
          Optional<ProcessHandle> p = ProcessHandle.of(pid);
          if (p.isPresent()) {
            p.get().onExit().get(60, TimeUnit.SECONDS);
          }
          System.out.println("The rdrd service was stopped successfully.");
          return Messages.OK;
        }
        case "status" -> {
          try (ControlClient c = ServiceConnection.connect(home, false)) {
            Map<String, Object> r = c.call(c.request(Protocol.PING));
            System.out.println("rdrd is running.");
            System.out.printf("%-14s%s%n", "Pid", r.get("pid"));
            System.out.printf("%-14s%s%n", "RDR_HOME", r.get("home"));
            System.out.printf("%-14s%s%n", "User", r.get("user"));
            System.out.printf("%-14s%s s%n", "Uptime", r.get("uptimeSeconds"));
            System.out.printf("%-14s%s%n", "Connections", r.get("connections"));
            System.out.printf("%-14s%s%n", "FUSE", r.get("fuse"));
          }
          return Messages.OK;
        }
        default -> {
          System.err.println("rdr service takes start, stop or status, not " + action);
          return Messages.ERROR;
        }
      }
    } catch (CliException e) {
      return Messages.systemError(System.err, e);
    } catch (IOException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      return Messages.systemError(
          System.err, 31, "A device attached to the system is not functioning.", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Messages.ERROR;
    }
  }
}
