package org.rdbss4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rdbss4j.service.protocol.ControlClient;
import org.rdbss4j.service.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rdr watch X:\dir [/subtree]}: keeps a change notification outstanding on the connection
 * and prints each event until interrupted, or until the notification is cancelled (a forced delete
 * of the connection cancels it: System error 1223).
 */
@Command(
    name = "watch",
    description = {
      "Prints change notifications of a directory (X:\\dir or \\\\server\\share\\dir) until"
          + " interrupted. /subtree watches the whole tree. The watch is an outstanding request on"
          + " the connection: 'rdr use X: /delete' fails while it is pending (error 2404) and"
          + " '/delete /y' cancels it."
    })
final class WatchCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ARG", description = "the directory, then /subtree")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String path = null;
    boolean tree = false;
    for (String a : args) {
      if (a.toLowerCase(Locale.ROOT).equals("/subtree") || a.equalsIgnoreCase("/s")) {
        tree = true;
      } else if (path == null) {
        path = a;
      } else {
        System.err.println("Unexpected argument: " + a);
        return Messages.ERROR;
      }
    }
    if (path == null) {
      System.err.println("rdr watch needs a directory: X:\\dir or \\\\server\\share\\dir");
      return Messages.ERROR;
    }
    try (ControlClient c = ServiceConnection.connect(Rdr.home(), true)) {
      Map<String, Object> req = c.request(Protocol.WATCH);
      req.put("path", path);
      req.put("subtree", tree);
      Map<String, Object> r =
          c.call(
              req,
              m -> {
                if (m.get("watching") instanceof Map<?, ?> w) {
                  System.out.println(
                      "Watching "
                          + w.get("path")
                          + (Boolean.TRUE.equals(w.get("subtree")) ? " and its subtree" : "")
                          + "; interrupt to stop.");
                } else if (m.get("event") instanceof Map<?, ?> e) {
                  System.out.printf("%-18s %s%n", e.get("action"), e.get("name"));
                }
                System.out.flush();
              });
      return Messages.ok(r) ? Messages.OK : Messages.replyError(System.err, r);
    } catch (CliException e) {
      return Messages.systemError(System.err, e);
    } catch (IOException e) {
      return Messages.systemError(
          System.err, 31, "A device attached to the system is not functioning.", e.toString());
    }
  }
}
