package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.NetRoot;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxNode;
import org.rdbss4j.core.SrvCall;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.local.LocalConfig;
import org.rdbss4j.local.LocalMiniRedirector;

class ProviderTest extends NioTestBase {

  @Test
  void providerIsInstalledForItsScheme() {
    assertThat(FileSystemProvider.installedProviders())
        .anyMatch(p -> p instanceof RdbssFileSystemProvider && p.getScheme().equals("rdbss"));
  }

  @Test
  void aFileSystemIsOneConnectionOfItsIdentity() throws Exception {
    RdbssFileSystem fs = open("share", "alice");
    assertThat(fs.isOpen()).isTrue();
    assertThat(fs.uncShare()).isEqualTo("\\\\local\\share");
    assertThat(fs.vNetRoot().isExplicitConnection()).isTrue();
    assertThat(fs.identity().userName()).isEqualTo("alice");
    assertThat(rdr.connections()).containsExactly(fs.vNetRoot());
    Files.writeString(fs.getPath("\\hello.txt"), "hi");
    assertThat(Files.readString(shareDir.resolve("hello.txt"))).isEqualTo("hi");
    fs.close();
    assertThat(fs.isOpen()).isFalse();
    assertThat(rdr.connections()).isEmpty();
  }

  @Test
  void twoUsersOnTwoSharesOfOneServerShareOneSrvCall() throws Exception {
    RdbssFileSystem alice = open("share", "alice");
    RdbssFileSystem bob = open("share", "bob");
    RdbssFileSystem bobOther = open("other", "bob");
    List<RxNode> nodes = rdr.liveNodes();
    assertThat(nodes.stream().filter(n -> n instanceof SrvCall)).hasSize(1);
    assertThat(nodes.stream().filter(n -> n instanceof NetRoot)).hasSize(2);
    assertThat(nodes.stream().filter(n -> n instanceof VNetRoot)).hasSize(3);
    assertThat(alice.vNetRoot()).isNotSameAs(bob.vNetRoot());
    assertThat(alice.vNetRoot().netRoot()).isSameAs(bob.vNetRoot().netRoot());
    assertThat(alice.vNetRoot().netRoot().srvCall())
        .isSameAs(bobOther.vNetRoot().netRoot().srvCall());
    assertThat(alice.identity().logonId()).isNotEqualTo(bob.identity().logonId());
  }

  @Test
  void aRestrictedShareRefusesAnotherUser() throws Exception {
    RdbssFileSystem alice = open("private", "alice");
    Files.writeString(alice.getPath("secret.txt"), "alice's");
    assertThatThrownBy(() -> open("private", "bob"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("STATUS_ACCESS_DENIED");
    assertThat(rdr.connections()).containsExactly(alice.vNetRoot());
  }

  @Test
  void aRestrictedTokenIsRefused() {
    CallerIdentity restricted = new CallerIdentity(90, 90, "alice", true);
    assertThatThrownBy(
            () ->
                open(
                    URI.create("rdbss://local/share"),
                    Map.of("redirector", rdr, "identity", restricted)))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aSecondFileSystemOfOneIdentityAndShareIsRefused() throws Exception {
    open("share", "alice");
    assertThatThrownBy(() -> open("share", "ALICE"))
        .isInstanceOf(FileSystemAlreadyExistsException.class);
    open("SHARE", "bob");
  }

  @Test
  void pathOfUriFindsTheOpenFileSystem() throws Exception {
    RdbssFileSystem mine = open("share", null);
    RdbssFileSystem alice = open("share", "alice");
    Path p = Path.of(URI.create("rdbss://LOCAL/Share/dir/a%20b.txt"));
    assertThat(p.getFileSystem()).isSameAs(mine);
    assertThat(p).hasToString("\\dir\\a b.txt");
    Path q = Path.of(URI.create("rdbss://alice@local/share/x"));
    assertThat(q.getFileSystem()).isSameAs(alice);
    assertThat(q.toUri()).isEqualTo(URI.create("rdbss://alice@local/share/x"));
    assertThat(Path.of(p.toUri())).isEqualTo(p);
    assertThatThrownBy(() -> Path.of(URI.create("rdbss://carol@local/share/x")))
        .isInstanceOf(FileSystemNotFoundException.class);
    assertThatThrownBy(() -> Path.of(URI.create("rdbss://local/other/x")))
        .isInstanceOf(FileSystemNotFoundException.class);
  }

  @Test
  void uncStringsNameTheOpenFileSystemsPaths() throws Exception {
    RdbssFileSystem fs = open("share", null);
    assertThat(RdbssPaths.toUri("\\\\local\\share\\dir\\f.txt"))
        .isEqualTo(URI.create("rdbss://local/share/dir/f.txt"));
    RdbssPath p = RdbssPaths.of("\\\\local\\share\\dir", "sub", "f.txt");
    assertThat(p.getFileSystem()).isSameAs(fs);
    assertThat(p).hasToString("\\dir\\sub\\f.txt");
    assertThat(p.toUncString()).isEqualTo("\\\\local\\share\\dir\\sub\\f.txt");
    assertThat(fs.getPath("\\\\LOCAL\\share\\dir\\sub\\f.txt")).isEqualTo(p);
  }

  @Test
  void envKeysAreTyped() {
    URI uri = URI.create("rdbss://local/share");
    assertThatThrownBy(() -> open(uri, Map.of("redirector", rdr, "password", "not a char[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> open(uri, Map.of("redirector", rdr, "port", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void identityAndLogonIdComeFromEnv() throws Exception {
    CallerIdentity carol = CallerIdentity.of(77, "carol");
    RdbssFileSystem a =
        open(URI.create("rdbss://local/share"), Map.of("redirector", rdr, "identity", carol));
    assertThat(a.identity()).isEqualTo(carol);
    RdbssFileSystem b =
        open(
            URI.create("rdbss://dave@local/share"),
            Map.of("redirector", rdr, "logonId", "78", "password", "pw".toCharArray()));
    assertThat(b.identity().logonId()).isEqualTo(78);
    assertThat(b.vNetRoot().credentials().userName()).isEqualTo("dave");
  }

  @Test
  void anUnknownServerOrShareIsAFileSystemException() {
    assertThatThrownBy(() -> open("nosuchshare", "alice"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("STATUS_BAD_NETWORK_NAME");
    assertThatThrownBy(() -> open(URI.create("rdbss://elsewhere/share"), env("alice")))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("STATUS_BAD_NETWORK_NAME");
    assertThatThrownBy(() -> open(URI.create("rdbss://local:445/share"), env("alice")))
        .as("the local mini-redirector claims the default port only")
        .isInstanceOf(FileSystemException.class);
    assertThatThrownBy(() -> FileSystems.newFileSystem(URI.create("rdbss://local/"), env(null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSharedRedirectorLivesWhileItsFileSystemsDo() throws Exception {
    LocalMiniRedirector shared =
        new LocalMiniRedirector(LocalConfig.builder().share("share", shareDir).build());
    MiniRedirectorRegistry.register(shared);
    try {
      RdbssFileSystem a = RdbssPaths.newFileSystem("\\\\local\\share", Map.of("user", "alice"));
      RdbssFileSystem b = RdbssPaths.newFileSystem("\\\\local\\share", Map.of("user", "bob"));
      Redirector r = a.redirector();
      assertThat(b.redirector()).isSameAs(r).isNotSameAs(rdr);
      assertThat(MiniRedirectorRegistry.isSharedRedirectorRunning()).isTrue();
      a.close();
      assertThat(MiniRedirectorRegistry.isSharedRedirectorRunning()).isTrue();
      assertThat(b.disconnect(org.rdbss4j.core.ForceFilesClosed.FALSE)).isEqualTo(NtStatus.SUCCESS);
      assertThat(MiniRedirectorRegistry.isSharedRedirectorRunning()).isFalse();
      assertThat(r.liveNodes()).isEmpty();
      assertThat(r.prefixTable().size()).isZero();
    } finally {
      MiniRedirectorRegistry.unregister(shared);
    }
  }
}
