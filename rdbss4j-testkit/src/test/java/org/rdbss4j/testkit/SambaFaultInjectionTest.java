package org.rdbss4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rdbss4j.testkit.SambaServer.ALICE;
import static org.rdbss4j.testkit.SambaServer.HOST;
import static org.rdbss4j.testkit.SambaServer.RW;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SambaFaultInjectionTest {
  @RegisterExtension static SambaExtension samba = new SambaExtension();

  @Test
  void killTakesSmbdDownAndRestartBringsItBackOnTheSamePort() throws Exception {
    SambaServer server = samba.server();
    Files.writeString(server.shareDir(RW).resolve("survivor.txt"), "still here");
    int port = server.port();
    ProcessHandle before = ProcessHandle.of(server.pid()).orElseThrow();
    List<ProcessHandle> children = before.children().toList();
    assertThat(children).isNotEmpty();

    try (SmbClientSession client = server.openSmbclient(RW, ALICE)) {
      server.kill();
      assertThat(client.isAlive()).as("kill() leaves clients alone").isTrue();
    }

    assertThat(server.isRunning()).isFalse();
    assertThat(before.isAlive()).isFalse();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    assertThatThrownBy(() -> connect(port)).isInstanceOf(IOException.class);
    assertThat(server.smbclient(RW, ALICE, "ls", Duration.ofSeconds(2)).succeeded()).isFalse();

    server.restart();

    assertThat(server.port()).isEqualTo(port);
    assertThat(server.pid()).isNotEqualTo(before.pid());
    CommandResult ls = server.smbclient(RW, ALICE, "ls");
    assertThat(ls.succeeded()).as(ls.output()).isTrue();
    assertThat(ls.output()).contains("survivor.txt");
  }

  @Test
  void restartOfARunningServerKeepsServing() throws Exception {
    SambaServer server = samba.server();
    long pid = server.pid();
    server.restart();
    assertThat(server.pid()).isNotEqualTo(pid);
    assertThat(server.smbclient(RW, ALICE, "ls").succeeded()).isTrue();
  }

  @Test
  void stopFreezesSmbdAndResumeThawsIt() throws Exception {
    SambaServer server = samba.server();
    try (SmbClientSession held = server.openSmbclient(RW, ALICE)) {
      server.stop();
      try {
        assertThat(server.isStopped()).isTrue();
        assertThat(ProcessTree.isStopped(server.pid())).isTrue();
        assertThat(ProcessHandle.of(server.pid()).orElseThrow().descendants())
            .isNotEmpty()
            .allMatch(p -> ProcessTree.isStopped(p.pid()));
        connect(server.port());
        CommandResult frozen = server.smbclient(RW, ALICE, "ls", Duration.ofSeconds(2));
        assertThat(frozen.succeeded()).as(frozen.output()).isFalse();
      } finally {
        server.resume();
      }
      assertThat(server.isStopped()).isFalse();
      assertThat(ProcessTree.isStopped(server.pid())).isFalse();
      CommandResult thawed = server.smbclient(RW, ALICE, "ls");
      assertThat(thawed.succeeded()).as(thawed.output()).isTrue();

      held.send("ls");
      held.awaitOutput("blocks available", Duration.ofSeconds(10));
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
    }
  }
}
