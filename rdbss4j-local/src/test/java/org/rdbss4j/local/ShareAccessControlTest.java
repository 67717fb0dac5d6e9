package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_CREATE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE_IF;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;

class ShareAccessControlTest extends LocalTestBase {

  @Test
  void symbolicLinksOutOfTheShareAreRefused() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(shareDir.resolve("escape"), outside);
    Files.createSymbolicLink(shareDir.resolve("secret-link.txt"), outside.resolve("secret.txt"));

    assertThat(statusOf(() -> open(ALICE, CreateRequest.openRead("escape\\secret.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openDirectory("escape"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openRead("SECRET-LINK.TXT"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openReadWrite("escape\\planted.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(outside.resolve("planted.txt")).doesNotExist();
  }

  @Test
  void aDanglingLinkIsNeverCreatedThrough() throws Exception {
    Files.createSymbolicLink(shareDir.resolve("dangling.txt"), outside.resolve("made.txt"));
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openReadWrite("dangling.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(
            statusOf(
                () ->
                    open(
                        ALICE,
                        CreateRequest.openReadWrite("dangling.txt").withDisposition(FILE_CREATE))))
        .isEqualTo(NtStatus.OBJECT_NAME_COLLISION);
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openRead("dangling.txt"))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    assertThat(outside.resolve("made.txt")).doesNotExist();
  }

  @Test
  void linksInsideTheShareWork() throws Exception {
    Files.createDirectory(shareDir.resolve("real"));
    Files.writeString(shareDir.resolve("real").resolve("f.txt"), "inside");
    Files.createSymbolicLink(shareDir.resolve("alias"), shareDir.resolve("real"));
    FileObject fo = open(ALICE, CreateRequest.openRead("alias\\f.txt"));
    assertThat(readAll(fo)).isEqualTo("inside");
    fo.close();
  }

  @Test
  void listingShowsAnEscapingLinkAsTheLinkItself() throws Exception {
    Files.write(outside.resolve("big.bin"), new byte[5000]);
    Files.createSymbolicLink(shareDir.resolve("big-link"), outside.resolve("big.bin"));
    FileObject root = open(ALICE, CreateRequest.openDirectory(""));
    List<FileInfo> l = root.queryDirectory("*");
    assertThat(l).extracting(FileInfo::name).containsExactly("big-link");
    assertThat(l.getFirst().size()).isNotEqualTo(5000);
    root.close();
  }

  @Test
  void readOnlyShareRefusesEveryChange() throws Exception {
    Files.writeString(roDir.resolve("doc.txt"), "read me");
    connect(ALICE, "ro");
    assertThat(statusOf(() -> open(ALICE, "ro", CreateRequest.openReadWrite("doc.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, "ro", CreateRequest.openReadWrite("new.txt"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, "ro", CreateRequest.createDirectory("dir"))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    CreateRequest overwrite = CreateRequest.openRead("doc.txt").withDisposition(FILE_OVERWRITE_IF);
    assertThat(statusOf(() -> open(ALICE, "ro", overwrite))).isEqualTo(NtStatus.ACCESS_DENIED);
    CreateRequest delete =
        new CreateRequest("doc.txt", GENERIC_READ | DELETE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
    assertThat(statusOf(() -> open(ALICE, "ro", delete))).isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(ALICE, "ro", CreateRequest.openRead("missing.txt"))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);

    FileObject fo = open(ALICE, "ro", CreateRequest.openRead("DOC.TXT"));
    assertThat(readAll(fo)).isEqualTo("read me");
    fo.close();
    assertThat(Files.readString(roDir.resolve("doc.txt"))).isEqualTo("read me");
    try (var s = Files.list(roDir)) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test
  void allowedUsersAreCheckedAtTreeConnect() throws Exception {
    assertThat(
            statusOf(
                () ->
                    rdr.addConnection(
                        ctx(BOB),
                        "\\\\local\\private",
                        null,
                        Credentials.none(),
                        ConnectOptions.defaults())))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    assertThat(statusOf(() -> open(BOB, "private", CreateRequest.openDirectory(""))))
        .isEqualTo(NtStatus.ACCESS_DENIED);

    connect(ALICE, "PRIVATE");
    open(ALICE, "private", CreateRequest.openReadWrite("mine.txt")).close();
    assertThat(privateDir.resolve("mine.txt")).exists();
  }

  @Test
  void credentialsUserIsCheckedWhenGiven() throws Exception {
    rdr.addConnection(
        ctx(BOB),
        "\\\\local\\private",
        null,
        new Credentials("alice", "", "pw".toCharArray()),
        ConnectOptions.defaults());
    FileObject fo = open(BOB, "private", CreateRequest.openDirectory(""));
    fo.close();
    rdr.deleteConnection(ctx(BOB), "\\\\local\\private", ForceFilesClosed.FALSE, Set.of());
  }

  @Test
  void unknownSharesAndServersAreBadNetworkNames() throws Exception {
    assertThat(statusOf(() -> open(ALICE, "nosuch", CreateRequest.openDirectory(""))))
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(
            statusOf(
                () -> rdr.create(ctx(ALICE), "\\\\elsewhere\\share", CreateRequest.openRead(""))))
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(
            statusOf(
                () ->
                    rdr.create(
                        ctx(ALICE),
                        "\\\\local\\share",
                        CreateRequest.openDirectory(""),
                        ConnectOptions.port(445))))
        .isEqualTo(NtStatus.BAD_NETWORK_NAME);
    assertThat(local.claimsServer("LOCAL", 0)).isTrue();
    assertThat(local.claimsServer("local", 139)).isFalse();

    Path gone = tmp.resolve("gone");
    LocalMiniRedirector missing =
        new LocalMiniRedirector(LocalConfig.builder().serverName("x").share("s", gone).build());
    assertThat(missing.claimsServer("X", 0)).isTrue();
    assertThat(missing.claimsServer("local", 0)).isFalse();
    try (Redirector r2 =
        Redirector.start(
            RedirectorConfig.builder()
                .miniRedirector(missing)
                .scavengerTimeout(Duration.ofMillis(200))
                .build())) {
      assertThat(statusOf(() -> r2.create(ctx(ALICE), "\\\\x\\s", CreateRequest.openDirectory(""))))
          .as("a share whose directory is missing")
          .isEqualTo(NtStatus.BAD_NETWORK_NAME);
      r2.drain();
      assertThat(r2.liveNodes()).isEmpty();
    }
    FileObject viaAlias =
        rdr.create(ctx(ALICE), "\\\\LOCAL\\SHARE", CreateRequest.openDirectory(""));
    viaAlias.close();
  }
}
