package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_HIDDEN;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_NORMAL;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_READONLY;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.SetInfo;
import org.rdbss4j.core.SrvOpen;

class NamespaceTest extends LocalTestBase {

  /** Opens for read and delete (rename and delete need DELETE access), sharing everything. */
  static CreateRequest deletable(String path) {
    return new CreateRequest(path, GENERIC_READ | DELETE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
  }

  @Test
  void renameMovesTheFileWithinTheShare() throws Exception {
    Files.writeString(shareDir.resolve("a.txt"), "A");
    Files.writeString(shareDir.resolve("b.txt"), "B");
    Files.createDirectory(shareDir.resolve("Sub"));

    FileObject fo = open(ALICE, deletable("a.txt"));
    assertThat(statusOf(() -> fo.setInformation(new SetInfo.Rename("B.TXT", false))))
        .isEqualTo(NtStatus.OBJECT_NAME_COLLISION);
    assertThat(statusOf(() -> fo.setInformation(new SetInfo.Rename("nodir\\x.txt", false))))
        .isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
    fo.setInformation(new SetInfo.Rename("sub\\moved.txt", false));
    assertThat(shareDir.resolve("a.txt")).doesNotExist();
    assertThat(Files.readString(shareDir.resolve("Sub").resolve("moved.txt"))).isEqualTo("A");
    assertThat(fo.queryInformation().name()).isEqualTo("moved.txt");
    assertThat(readAll(fo)).isEqualTo("A");
    fo.close();

    FileObject again = open(ALICE, deletable("sub\\moved.txt"));
    again.setInformation(new SetInfo.Rename("b.txt", true));
    again.close();
    assertThat(Files.readString(shareDir.resolve("b.txt"))).isEqualTo("A");
    try (var s = Files.list(shareDir)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("Sub", "b.txt");
    }

    FileObject caseOnly = open(ALICE, deletable("b.txt"));
    caseOnly.setInformation(new SetInfo.Rename("B.txt", false));
    caseOnly.close();
    assertThat(shareDir.resolve("B.txt")).exists();
    assertThat(shareDir.resolve("b.txt")).doesNotExist();
  }

  @Test
  void renameNeedsDeleteAccessAndAnUnusedTarget() throws Exception {
    Files.writeString(shareDir.resolve("x.txt"), "x");
    Files.writeString(shareDir.resolve("y.txt"), "y");
    FileObject noDelete = open(ALICE, CreateRequest.openRead("x.txt"));
    assertThat(statusOf(() -> noDelete.setInformation(new SetInfo.Rename("z.txt", false))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    noDelete.close();

    FileObject target = open(BOB, CreateRequest.openRead("y.txt"));
    FileObject fo = open(ALICE, deletable("x.txt"));
    assertThat(statusOf(() -> fo.setInformation(new SetInfo.Rename("y.txt", true))))
        .as("an open file is not replaced")
        .isEqualTo(NtStatus.ACCESS_DENIED);
    target.close();
    fo.close();
  }

  @Test
  void dispositionDeletesWhenTheLastHandleCloses() throws Exception {
    Path f = shareDir.resolve("doomed.txt");
    Files.writeString(f, "bye");
    FileObject other = open(BOB, CreateRequest.openRead("doomed.txt"));
    FileObject fo = open(ALICE, deletable("DOOMED.txt"));
    fo.setInformation(new SetInfo.Disposition(true));
    assertThat(statusOf(() -> open(ALICE, deletable("doomed.txt"))))
        .isEqualTo(NtStatus.DELETE_PENDING);
    fo.close();
    assertThat(f).as("still open by bob").exists();
    other.close();
    assertThat(f).as("deleted when bob's handle closes").doesNotExist();

    FileObject noDelete = open(ALICE, CreateRequest.openReadWrite("kept.txt"));
    assertThat(statusOf(() -> noDelete.setInformation(new SetInfo.Disposition(true))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    noDelete.close();
  }

  @Test
  void deleteIsNotHeldBackByAnotherHandlesDelayedClose() throws Exception {
    Path f = shareDir.resolve("held.txt");
    Files.writeString(f, "x");
    FileObject reader = open(BOB, CreateRequest.openRead("held.txt"));
    SrvOpen delayed = reader.srvOpen();
    reader.close();
    assertThat(delayed.hasFlag(SrvOpen.FLAG_CLOSE_DELAYED)).isTrue();

    FileObject fo = open(ALICE, deletable("held.txt"));
    fo.setInformation(new SetInfo.Disposition(true));
    fo.close();
    assertThat(f).as("deleted when the deleting handle closes").doesNotExist();
  }

  @Test
  void dispositionCanBeUndoneAndRefusesNonEmptyDirectories() throws Exception {
    Files.writeString(shareDir.resolve("keep.txt"), "k");
    FileObject fo = open(ALICE, deletable("keep.txt"));
    fo.setInformation(new SetInfo.Disposition(true));
    fo.setInformation(new SetInfo.Disposition(false));
    fo.close();
    assertThat(shareDir.resolve("keep.txt")).exists();

    Files.createDirectory(shareDir.resolve("full"));
    Files.writeString(shareDir.resolve("full").resolve("f"), "f");
    FileObject dir =
        open(ALICE, CreateRequest.openDirectory("full").withAccess(GENERIC_READ | DELETE));
    assertThat(statusOf(() -> dir.setInformation(new SetInfo.Disposition(true))))
        .isEqualTo(NtStatus.DIRECTORY_NOT_EMPTY);
    dir.close();

    Files.createDirectory(shareDir.resolve("empty"));
    FileObject empty =
        open(ALICE, CreateRequest.openDirectory("empty").withAccess(GENERIC_READ | DELETE));
    empty.setInformation(new SetInfo.Disposition(true));
    empty.close();
    assertThat(shareDir.resolve("empty")).doesNotExist();

    FileObject root =
        open(ALICE, CreateRequest.openDirectory("").withAccess(GENERIC_READ | DELETE));
    assertThat(statusOf(() -> root.setInformation(new SetInfo.Disposition(true))))
        .isEqualTo(NtStatus.CANNOT_DELETE);
    root.close();
  }

  @Test
  void directoryListingMatchesPatternsCaseInsensitively() throws Exception {
    Files.writeString(shareDir.resolve("a.txt"), "1");
    Files.writeString(shareDir.resolve("B.TXT"), "22");
    Files.writeString(shareDir.resolve("c.log"), "333");
    Files.createDirectory(shareDir.resolve("sub"));
    FileObject root = open(ALICE, CreateRequest.openDirectory(""));

    List<FileInfo> all = root.queryDirectory("*");
    assertThat(all).extracting(FileInfo::name).containsExactly("a.txt", "B.TXT", "c.log", "sub");
    assertThat(all.get(3).directory()).isTrue();
    assertThat(all.get(2).size()).isEqualTo(3);
    assertThat(root.queryDirectory("*.TXT"))
        .extracting(FileInfo::name)
        .containsExactly("a.txt", "B.TXT");
    assertThat(root.queryDirectory("?.LoG")).extracting(FileInfo::name).containsExactly("c.log");
    assertThat(root.queryDirectory("nothing*")).isEmpty();
    assertThat(root.queryDirectory("*.*")).hasSize(4);
    root.close();
  }

  @Test
  void basicInformationSetsTimesAndAttributes() throws Exception {
    Path f = shareDir.resolve("attrs.txt");
    Files.writeString(f, "x");
    CreateRequest r =
        new CreateRequest(
            "attrs.txt",
            GENERIC_READ | FILE_WRITE_ATTRIBUTES,
            FILE_SHARE_ALL,
            FILE_OPEN,
            FILE_NON_DIRECTORY_FILE,
            0);
    FileObject fo = open(ALICE, r);
    Instant when = Instant.parse("2020-01-02T03:04:05Z");
    fo.setInformation(new SetInfo.Basic(null, when, when, ATTRIBUTE_READONLY));
    assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(when);
    assertThat(Files.getPosixFilePermissions(f)).doesNotContain(PosixFilePermission.OWNER_WRITE);
    assertThat(fo.queryInformation().attributes() & ATTRIBUTE_READONLY).isNotZero();
    assertThat(statusOf(() -> open(BOB, CreateRequest.openReadWrite("attrs.txt"))))
        .as("a read-only file is not opened for writing")
        .isEqualTo(NtStatus.ACCESS_DENIED);

    fo.setInformation(new SetInfo.Basic(null, null, null, ATTRIBUTE_NORMAL));
    assertThat(Files.getPosixFilePermissions(f)).contains(PosixFilePermission.OWNER_WRITE);
    assertThat(fo.queryInformation().attributes()).isEqualTo(ATTRIBUTE_NORMAL);

    boolean xattrs =
        Files.getFileStore(f).supportsFileAttributeView(UserDefinedFileAttributeView.class);
    fo.setInformation(new SetInfo.Basic(null, null, null, ATTRIBUTE_HIDDEN));
    int attrs = fo.queryInformation().attributes();
    if (xattrs) {
      assertThat(attrs).isEqualTo(ATTRIBUTE_HIDDEN);
    } else {
      assertThat(attrs).isEqualTo(ATTRIBUTE_NORMAL);
    }
    fo.close();

    FileObject noAttr = open(ALICE, CreateRequest.openRead("attrs.txt"));
    assertThat(statusOf(() -> noAttr.setInformation(new SetInfo.Basic(null, when, null, -1))))
        .isEqualTo(NtStatus.ACCESS_DENIED);
    noAttr.close();
  }

  @Test
  void wildcards() {
    assertThat(Wildcards.matches("*", "anything")).isTrue();
    assertThat(Wildcards.matches("*.*", "noext")).isTrue();
    assertThat(Wildcards.matches("a*c", "ABBC")).isTrue();
    assertThat(Wildcards.matches("a?c", "abbc")).isFalse();
    assertThat(Wildcards.matches("*b*", "abc")).isTrue();
    assertThat(Wildcards.matches("*.txt", "a.txt.bak")).isFalse();
    assertThat(Wildcards.matches("??", "ab")).isTrue();
    assertThat(Wildcards.matches("??", "abc")).isFalse();
    assertThat(Wildcards.matches("É*", "école")).isTrue();
  }
}
