package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN_IF;
import static org.rdbss4j.core.FileAccess.FILE_READ_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.FILE_READ_DATA;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_DELETE;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_READ;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_WRITE;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;
import static org.rdbss4j.core.FileAccess.GENERIC_WRITE;
import static org.rdbss4j.core.FileAccess.READ_CONTROL;
import static org.rdbss4j.core.FileAccess.SYNCHRONIZE;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.SrvOpen;

class SharingModeTest extends LocalTestBase {

  static CreateRequest req(String path, int access, int share) {
    return new CreateRequest(path, access, share, FILE_OPEN_IF, FILE_NON_DIRECTORY_FILE, 0);
  }

  @Test
  void exclusiveOpenRefusesEveryOtherDataOpenAcrossConnections() throws Exception {
    connect(ALICE, "share");
    connect(BOB, "share");
    FileObject a = open(ALICE, req("f.txt", GENERIC_READ | GENERIC_WRITE, 0));
    assertThat(statusOf(() -> open(BOB, req("f.txt", GENERIC_READ, FILE_SHARE_ALL))))
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(statusOf(() -> open(BOB, req("F.TXT", FILE_WRITE_DATA, FILE_SHARE_ALL))))
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(statusOf(() -> open(ALICE, req("f.txt", GENERIC_READ, FILE_SHARE_ALL))))
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(statusOf(() -> open(ALICE, req("f.txt", GENERIC_READ | GENERIC_WRITE, 0))))
        .as("an identical open may not collapse onto a handle that shares nothing")
        .isEqualTo(NtStatus.SHARING_VIOLATION);

    FileObject attrs =
        open(BOB, req("f.txt", FILE_READ_ATTRIBUTES | SYNCHRONIZE | READ_CONTROL, 0));
    assertThat(attrs.queryInformation().size()).isZero();
    attrs.close();

    a.close();
    FileObject b = open(BOB, req("f.txt", GENERIC_READ, FILE_SHARE_ALL));
    b.close();
  }

  @Test
  void windowsRulesInBothDirections() throws Exception {
    Files.writeString(shareDir.resolve("g.txt"), "x");
    FileObject reader = open(ALICE, req("g.txt", FILE_READ_DATA, FILE_SHARE_READ));
    FileObject reader2 = open(BOB, req("g.txt", FILE_READ_DATA, FILE_SHARE_READ));
    assertThat(statusOf(() -> open(BOB, req("g.txt", FILE_WRITE_DATA, FILE_SHARE_ALL))))
        .as("the readers do not share write")
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(
            statusOf(
                () ->
                    open(BOB, req("g.txt", FILE_READ_DATA, FILE_SHARE_WRITE | FILE_SHARE_DELETE))))
        .as("a new reader must share read with the readers")
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    assertThat(statusOf(() -> open(BOB, req("g.txt", DELETE, FILE_SHARE_ALL))))
        .as("the readers do not share delete")
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    reader.close();
    reader2.close();

    FileObject shareAll = open(ALICE, req("g.txt", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_ALL));
    FileObject deleter = open(BOB, req("g.txt", DELETE | FILE_READ_ATTRIBUTES, FILE_SHARE_ALL));
    shareAll.close();
    deleter.close();
  }

  @Test
  void sharingIsReleasedWhenTheSrvOpenClosesNotAtCleanup() throws Exception {
    FileObject a = open(ALICE, req("h.txt", GENERIC_READ | GENERIC_WRITE, 0));
    rdr.cleanup(ctx(ALICE), a);
    assertThat(statusOf(() -> open(BOB, req("h.txt", GENERIC_READ, FILE_SHARE_ALL))))
        .as("cleanup alone keeps the share-access entry")
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    rdr.close(ctx(ALICE), a);
    open(BOB, req("h.txt", GENERIC_READ, FILE_SHARE_ALL)).close();
  }

  @Test
  void delayedCloseHeldByTheCoreDoesNotRefuseAnotherIdentitysExclusiveOpen() throws Exception {
    connect(ALICE, "share");
    connect(BOB, "share");
    FileObject a = open(ALICE, CreateRequest.openReadWrite("d.txt"));
    a.write(0, bytes("alice"));
    SrvOpen delayed = a.srvOpen();
    a.close();
    assertThat(delayed.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED))
        .as("the core keeps alice's handle open (delayed close)")
        .isTrue();

    FileObject b = open(BOB, req("d.txt", GENERIC_READ | GENERIC_WRITE, 0));
    assertThat(readAll(b)).isEqualTo("alice");
    assertThat(delayed.hasFlag(SrvOpen.FLAG_CLOSED)).as("purged by the core").isTrue();
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openReadWrite("d.txt"))))
        .isEqualTo(NtStatus.SHARING_VIOLATION);
    b.close();
  }

  @Test
  void sharingHoldsForDirectoriesToo() throws Exception {
    Files.createDirectory(shareDir.resolve("dir"));
    FileObject d = open(ALICE, CreateRequest.openDirectory("dir").withShareAccess(FILE_SHARE_READ));
    CreateRequest deleter = CreateRequest.openDirectory("dir").withAccess(GENERIC_READ | DELETE);
    assertThat(statusOf(() -> open(BOB, deleter))).isEqualTo(NtStatus.SHARING_VIOLATION);
    d.close();
    open(BOB, deleter).close();
  }

  @Test
  void conflictTable() {
    int rw = FILE_READ_DATA | FILE_WRITE_DATA;
    assertThat(ShareAccessTable.conflicts(FILE_READ_DATA, FILE_SHARE_READ, FILE_READ_DATA, 1))
        .isFalse();
    assertThat(ShareAccessTable.conflicts(rw, FILE_SHARE_ALL, rw, FILE_SHARE_READ)).isTrue();
    assertThat(ShareAccessTable.conflicts(FILE_READ_ATTRIBUTES, 0, rw, 0)).isFalse();
    assertThat(ShareAccessTable.conflicts(DELETE, FILE_SHARE_ALL, FILE_READ_DATA, FILE_SHARE_READ))
        .isTrue();
    assertThat(
            ShareAccessTable.conflicts(
                DELETE, FILE_SHARE_ALL, FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_DELETE))
        .isFalse();
  }
}
