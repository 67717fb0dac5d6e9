package org.rdbss4j.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.service.protocol.ControlClient;
import org.rdbss4j.service.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rdr use}: net use for rdbss4j (add, delete and list connections). */
@Command(
    name = "use",
    usageHelpWidth = 100,
    description = {
      "Connects a device (X:) or a deviceless UNC name to a share, deletes a connection, or lists"
          + " them, as Windows 'net use' does. Switches are case-insensitive.",
      "",
      "  rdr use                                   list connections",
      "  rdr use X: \\\\server\\share [*] [/user:[domain\\]name] [/tcpport:N]",
      "          [/persistent:yes|no] [/mount:PATH]   map X: and mount it (RDR_HOME/mnt/X)",
      "  rdr use \\\\server\\share [...]             deviceless connection",
      "  rdr use X:                                show one connection",
      "  rdr use X: /delete  (or /d)               delete with ForceFilesClosed FALSE (0);",
      "                                            with open files on a terminal, asks to",
      "                                            force them closed (Y/N) [N]",
      "  rdr use X: /delete /y                     force TRUE (1): cancel requests, orphan handles",
      "  rdr use X: /delete /n                     answer no: fail if anything is open",
      "  rdr use X: /delete /lazy                  0xFF: unpin now, delete when the last handle",
      "                                            closes (a lazy delete)",
      "  rdr use X: /delete /force:N               send N as ForceFilesClosed as is (0, 1, 255;",
      "                                            rdrd refuses anything else with error 87)",
      "  ... /delete /closetransport               also close the server connection at once when",
      "                                            nothing else uses it",
      "",
      "Password: after '*' it is read from the terminal, or from standard input when that is not"
          + " a terminal; without '*', from RDR_PASSWORD. A password on the command line is"
          + " refused.",
      "Exit code 0 on success, 2 on any error (printed as 'System error N has occurred.')."
    })
final class UseCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARG", description = "device, UNC name, * and switches")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    NetUseArgs a;
    try {
      a = NetUseArgs.parse(args);
    } catch (NetUseArgs.UsageException e) {
      err.println(e.getMessage());
      err.println();
      err.println("The syntax of this command is: rdr help use");
      return Messages.ERROR;
    }
    try (ControlClient c = ServiceConnection.connect(Rdr.home(), true)) {
      if (a.delete) {
        return delete(c, a, out, err);
      }
      if (a.unc == null) {
        return list(c, a.device, out, err);
      }
      return use(c, a, out, err);
    } catch (CliException e) {
      return Messages.systemError(err, e);
    } catch (IOException e) {
      return Messages.systemError(
          err, 31, "A device attached to the system is not functioning.", e.toString());
    }
  }

  private static int use(ControlClient c, NetUseArgs a, PrintStream out, PrintStream err)
      throws IOException, CliException {
    char[] password = password(a);
    Map<String, Object> req = c.request(Protocol.USE);
    if (a.device != null) {
      req.put("device", a.device);
    }
    req.put("unc", a.unc);
    req.put("user", a.user);
    req.put("domain", a.domain);
    if (password.length > 0) {
      req.put("password", new String(password));
    }
    java.util.Arrays.fill(password, '\0');
    req.put("tcpport", a.port);
    req.put("persistent", a.persistent);
    if (a.mountPoint != null) {
      req.put("mountPoint", a.mountPoint);
    }
    Map<String, Object> r = c.call(req);
    req.remove("password");
    if (!Messages.ok(r)) {
      return Messages.replyError(err, r);
    }
    if (r.get("mount") instanceof String m && !m.isEmpty()) {
      out.println(a.device + " is mounted at " + m);
    } else if (r.get("mountError") instanceof String m) {
      err.println(a.device + " is connected but not mounted: " + m);
    }
    return Messages.success(out);
  }

  private static char[] password(NetUseArgs a) throws IOException, CliException {
    if (!a.askPassword) {
      String env = System.getenv("RDR_PASSWORD");
      return env == null ? new char[0] : env.toCharArray();
    }
    Console con = System.console();
    if (con != null && con.isTerminal()) {
      char[] p = con.readPassword("Type the password for %s: ", a.unc);
      return p == null ? new char[0] : p;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null) {
      throw new CliException(
          87, "The parameter is incorrect.", "no password on standard input after *");
    }
    return line.toCharArray();
  }

  private static int delete(ControlClient c, NetUseArgs a, PrintStream out, PrintStream err)
      throws IOException {
    String name = a.device != null ? a.device : a.unc;
    long force = a.force != null ? a.force : a.lazy ? 0xFF : a.yes ? 1 : 0;
    Map<String, Object> r = deleteRequest(c, name, force, a.closeTransport);
    if (!Messages.ok(r) && force == 0 && !a.no && a.force == null && inUse(r)) {
      Console con = System.console();
      if (con != null && con.isTerminal()) {
        out.println(
            "There are open files and/or incomplete directory searches pending on the connection"
                + " to "
                + name
                + ".");
        out.print("Is it OK to continue disconnecting and force them closed? (Y/N) [N]: ");
        out.flush();
        String answer = con.readLine();
        if (answer != null && answer.trim().toUpperCase(Locale.ROOT).startsWith("Y")) {
          r = deleteRequest(c, name, 1, a.closeTransport);
        }
      }
    }
    if (r.get("unflushed") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          err.println("Data of " + m.get("path") + " could not be written: " + m.get("status"));
        }
      }
    }
    if (!Messages.ok(r)) {
      return Messages.replyError(err, r);
    }
    out.println(name + " was deleted successfully.");
    out.println();
    return Messages.OK;
  }

  private static boolean inUse(Map<String, Object> r) {
    Object s = r.get("status");
    return NtStatus.FILES_OPEN.name().equals(s) || NtStatus.CONNECTION_IN_USE.name().equals(s);
  }

  private static Map<String, Object> deleteRequest(
      ControlClient c, String name, long force, boolean closeTransport) throws IOException {
    Map<String, Object> req = c.request(Protocol.DELETE);
    req.put("name", name);
    req.put("force", force);
    req.put("closeTransport", closeTransport);
    return c.call(req);
  }

  private static int list(ControlClient c, String device, PrintStream out, PrintStream err)
      throws IOException {
    Map<String, Object> r = c.call(c.request(Protocol.LIST));
    if (!Messages.ok(r)) {
      return Messages.replyError(err, r);
    }
    List<?> conns = r.get("connections") instanceof List<?> l ? l : List.of();
    if (device != null) {
      for (Object o : conns) {
        if (o instanceof Map<?, ?> m && device.equalsIgnoreCase(String.valueOf(m.get("local")))) {
          out.printf("%-20s%s%n", "Local name", m.get("local"));
          out.printf("%-20s%s%n", "Remote name", m.get("remote"));
          out.printf("%-20s%s%n", "Resource type", "Disk");
          out.printf("%-20s%s%n", "Status", m.get("status"));
          out.printf("%-20s%s%n", "Mount point", m.get("mount"));
          out.printf("%-20s%s%n", "Persistent", m.get("persistent"));
          return Messages.success(out);
        }
      }
      return Messages.systemError(err, 2250, "This network connection does not exist.", "");
    }
    if (conns.isEmpty()) {
      out.println("There are no entries in the list.");
      out.println();
      return Messages.OK;
    }
    out.printf("%-13s%-10s%-30s%s%n", "Status", "Local", "Remote", "Mount point");
    out.println("-".repeat(79));
    for (Object o : conns) {
      if (o instanceof Map<?, ?> m) {
        out.printf(
            "%-13s%-10s%-30s%s%n",
            m.get("status"), m.get("local"), m.get("remote"), m.get("mount"));
      }
    }
    return Messages.success(out);
  }
}
