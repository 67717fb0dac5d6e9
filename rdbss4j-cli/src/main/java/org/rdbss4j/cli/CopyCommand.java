package org.rdbss4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rdbss4j.service.protocol.ControlClient;
import org.rdbss4j.service.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rdr copy SRC DST}: copies a file through the redirector, with a progress bar. */
@Command(
    name = "copy",
    description = {
      "Copies a file between X:\\path, \\\\server\\share\\path and local paths through rdrd."
          + " A trailing separator (or an existing local directory) as DST keeps SRC's name."
          + " Files of 4 MiB or more show a progress bar on a terminal (or with RDR_PROGRESS=1)."
    })
final class CopyCommand implements Callable<Integer> {
  private static final long LARGE = 4L << 20;

  @Parameters(index = "0", paramLabel = "SRC")
  String source;

  @Parameters(index = "1", paramLabel = "DST")
  String destination;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    boolean bar =
        "1".equals(System.getenv("RDR_PROGRESS"))
            || (System.console() != null && System.console().isTerminal());
    try (ControlClient c = ServiceConnection.connect(Rdr.home(), true)) {
      Map<String, Object> req = c.request(Protocol.COPY);
      req.put("source", absolute(source));
      req.put("destination", absolute(destination));
      ProgressBar progress = new ProgressBar(err);
      Map<String, Object> r =
          c.call(
              req,
              m -> {
                if (bar && m.get("progress") instanceof Map<?, ?> p) {
                  long total = (Long) p.get("total");
                  if (total >= LARGE) {
                    progress.show((Long) p.get("bytes"), total);
                  }
                }
              });
      if (!Messages.ok(r)) {
        progress.end();
        return Messages.replyError(err, r);
      }
      if (bar && (Long) r.get("total") >= LARGE) {
        progress.show((Long) r.get("bytes"), (Long) r.get("total"));
        progress.end();
      }
      if (bar && Boolean.TRUE.equals(r.get("onServer"))) {
        err.println("copied by the server (the data did not pass through this machine)");
      }
      System.out.println("        1 file(s) copied.");
      return Messages.OK;
    } catch (CliException e) {
      return Messages.systemError(err, e);
    } catch (IOException e) {
      return Messages.systemError(
          err, 31, "A device attached to the system is not functioning.", e.toString());
    }
  }

  /** X:\..., UNC names and absolute paths as given; relative local paths made absolute. */
  static String absolute(String p) {
    if (p.startsWith("\\\\") || p.startsWith("//") || p.startsWith("/")) {
      return p;
    }
    if (p.length() >= 2 && p.charAt(1) == ':' && Character.isLetter(p.charAt(0))) {
      return p;
    }
    String abs = Path.of(p).toAbsolutePath().toString();
    return p.endsWith("/") ? abs + "/" : abs;
  }

  /** A one-line progress bar redrawn with a carriage return. */
  static final class ProgressBar {
    private static final int WIDTH = 40;
    private final PrintStream out;
    private boolean shown;

    ProgressBar(PrintStream out) {
      this.out = out;
    }

    void show(long done, long total) {
      int pct = total == 0 ? 100 : (int) (done * 100 / total);
      int fill = pct * WIDTH / 100;
      out.printf(
          "\r[%s%s] %3d%%  %.1f / %.1f MiB",
          "#".repeat(fill), ".".repeat(WIDTH - fill), pct, done / 1048576.0, total / 1048576.0);
      out.flush();
      shown = true;
    }

    void end() {
      if (shown) {
        out.println();
      }
    }
  }
}
