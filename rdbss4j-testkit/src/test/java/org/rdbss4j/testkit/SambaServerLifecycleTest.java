package org.rdbss4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.testkit.SambaServer.ALICE;
import static org.rdbss4j.testkit.SambaServer.HOST;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A server used without JUnit's extension, to check what {@link SambaServer#close()} leaves. */
class SambaServerLifecycleTest {

  @Test
  void closeEndsSmbdAndItsRpcHelpersAndDeletesTheDirectory() throws Exception {
    SambaServer server = SambaServer.start();
    Path root = server.rootDir();
    String configArg = "--configfile=" + server.configFile();
    try {
      // Listing shares goes through srvsvc, so smbd starts samba-dcerpcd on demand.
      CommandResult list =
          Commands.run(
              List.of(
                  Commands.which("smbclient"),
                  "--list=" + HOST,
                  "--port=" + server.port(),
                  configArg,
                  "--authentication-file=" + server.authFile(ALICE)),
              null,
              null,
              Duration.ofSeconds(30));
      assertThat(list.succeeded()).as(list.output()).isTrue();
      assertThat(list.output()).contains("rw", "ro", "alice");
      assertThat(processesWith(configArg))
          .anyMatch(command -> command.contains("samba-dcerpcd"))
          .anyMatch(command -> command.contains("smbd"));
    } finally {
      server.close();
    }
    assertThat(processesWith(configArg)).isEmpty();
    assertThat(root).doesNotExist();
    assertThat(server.isRunning()).isFalse();
  }

  private static List<String> processesWith(String argument) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(ProcessHandle::isAlive)
          .filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0])).contains(argument))
          .map(p -> p.info().commandLine().orElse(""))
          .toList();
    }
  }
}
