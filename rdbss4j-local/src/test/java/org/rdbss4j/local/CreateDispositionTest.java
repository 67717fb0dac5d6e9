package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_CREATE;
import static org.rdbss4j.core.FileAccess.FILE_DELETE_ON_CLOSE;
import static org.rdbss4j.core.FileAccess.FILE_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_OPEN_IF;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE_IF;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.FILE_SUPERSEDE;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;
import static org.rdbss4j.core.FileAccess.GENERIC_WRITE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;

class CreateDispositionTest extends LocalTestBase {

  static CreateRequest rw(String path, int disposition) {
    return new CreateRequest(
        path,
        GENERIC_READ | GENERIC_WRITE,
        FILE_SHARE_ALL,
        disposition,
        FILE_NON_DIRECTORY_FILE,
        0);
  }

  /** The action MRxCreate reports, seen directly since the core does not expose it. */
  private CreateResult.Action action(CreateRequest r) throws Exception {
    Opener opener = new Opener(new ShareAccessTable());
    Opener.Opened o = opener.open(ShareRoot.open(LocalConfig.Share.of("share", shareDir)), r);
    opener.close(o.handle());
    return o.result().action();
  }

  @Test
  void dispositionsReportTheirActions() throws Exception {
    assertThat(action(rw("a.txt", FILE_CREATE))).isEqualTo(CreateResult.Action.CREATED);
    assertThat(action(rw("a.txt", FILE_OPEN))).isEqualTo(CreateResult.Action.OPENED);
    assertThat(action(rw("a.txt", FILE_OPEN_IF))).isEqualTo(CreateResult.Action.OPENED);
    assertThat(action(rw("b.txt", FILE_OPEN_IF))).isEqualTo(CreateResult.Action.CREATED);
    assertThat(action(rw("a.txt", FILE_OVERWRITE))).isEqualTo(CreateResult.Action.OVERWRITTEN);
    assertThat(action(rw("a.txt", FILE_OVERWRITE_IF))).isEqualTo(CreateResult.Action.OVERWRITTEN);
    assertThat(action(rw("c.txt", FILE_OVERWRITE_IF))).isEqualTo(CreateResult.Action.CREATED);
    assertThat(action(rw("a.txt", FILE_SUPERSEDE))).isEqualTo(CreateResult.Action.SUPERSEDED);
    assertThat(action(rw("d.txt", FILE_SUPERSEDE))).isEqualTo(CreateResult.Action.CREATED);
    assertThat(local.isIdle()).isTrue();
  }

  @Test
  void dispositionsThroughTheRedirector() throws Exception {
    Path a = shareDir.resolve("a.txt");
    Files.writeString(a, "old contents");

    assertThat(statusOf(() -> open(ALICE, rw("a.txt", FILE_CREATE))))
        .isEqualTo(NtStatus.OBJECT_NAME_COLLISION);
    assertThat(statusOf(() -> open(ALICE, rw("missing.txt", FILE_OPEN))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    assertThat(statusOf(() -> open(ALICE, rw("missing.txt", FILE_OVERWRITE))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    assertThat(statusOf(() -> open(ALICE, rw("nodir\\x.txt", FILE_OPEN_IF))))
        .isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
    assertThat(statusOf(() -> open(ALICE, rw("a.txt\\x.txt", FILE_OPEN_IF))))
        .isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
    assertThat(Files.exists(shareDir.resolve("missing.txt"))).isFalse();

    open(ALICE, rw("a.txt", FILE_OVERWRITE)).close();
    assertThat(Files.size(a)).isZero();
    Files.writeString(a, "again");
    open(ALICE, rw("a.txt", FILE_SUPERSEDE)).close();
    assertThat(Files.size(a)).isZero();
    Files.writeString(a, "kept");
    FileObject kept = open(ALICE, rw("a.txt", FILE_OPEN_IF));
    assertThat(readAll(kept)).isEqualTo("kept");
    kept.close();

    open(ALICE, rw("new.txt", FILE_CREATE)).close();
    open(ALICE, rw("new2.txt", FILE_OVERWRITE_IF)).close();
    assertThat(shareDir.resolve("new.txt")).exists();
    assertThat(shareDir.resolve("new2.txt")).exists();
  }

  @Test
  void directoryAndNonDirectoryOptions() throws Exception {
    open(ALICE, CreateRequest.createDirectory("sub")).close();
    assertThat(shareDir.resolve("sub")).isDirectory();
    open(ALICE, CreateRequest.createDirectory("sub\\deeper")).close();
    assertThat(shareDir.resolve("sub").resolve("deeper")).isDirectory();
    assertThat(statusOf(() -> open(ALICE, CreateRequest.createDirectory("sub"))))
        .isEqualTo(NtStatus.OBJECT_NAME_COLLISION);

    Files.writeString(shareDir.resolve("f.txt"), "x");
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openDirectory("f.txt"))))
        .isEqualTo(NtStatus.NOT_A_DIRECTORY);
    assertThat(statusOf(() -> open(ALICE, rw("sub", FILE_OPEN))))
        .isEqualTo(NtStatus.FILE_IS_A_DIRECTORY);
    assertThat(statusOf(() -> open(ALICE, CreateRequest.openDirectory("nope"))))
        .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);

    FileObject d = open(ALICE, CreateRequest.openDirectory("SUB"));
    assertThat(d.isDirectory()).isTrue();
    d.close();
  }

  @Test
  void caseInsensitiveOpenFindsTheExistingFileAndNewNamesKeepTheirCase() throws Exception {
    Files.createDirectory(shareDir.resolve("Docs"));
    Files.writeString(shareDir.resolve("Docs").resolve("ReadMe.TXT"), "hello");
    FileObject fo = open(ALICE, CreateRequest.openRead("docs\\README.txt"));
    assertThat(readAll(fo)).isEqualTo("hello");
    fo.close();

    FileObject w = open(ALICE, CreateRequest.openReadWrite("DOCS\\readme.txt"));
    w.write(0, bytes("HELLO"));
    w.close();
    assertThat(Files.readString(shareDir.resolve("Docs").resolve("ReadMe.TXT"))).isEqualTo("HELLO");
    try (var s = Files.list(shareDir.resolve("Docs"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("ReadMe.TXT");
    }

    open(ALICE, CreateRequest.openReadWrite("docs\\NewFile.Txt")).close();
    try (var s = Files.list(shareDir.resolve("Docs"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(List.of("NewFile.Txt", "ReadMe.TXT"));
    }
  }

  @Test
  void deleteOnCloseRemovesTheFileWhenItsLastHandleCloses() throws Exception {
    CreateRequest r =
        new CreateRequest(
            "temp.txt",
            GENERIC_READ | GENERIC_WRITE | DELETE,
            FILE_SHARE_ALL,
            FILE_CREATE,
            FILE_NON_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
            0);
    FileObject fo = open(ALICE, r);
    fo.write(0, bytes("scratch"));
    assertThat(shareDir.resolve("temp.txt")).exists();
    fo.close();
    assertThat(shareDir.resolve("temp.txt")).doesNotExist();

    CreateRequest noDelete = r.withAccess(GENERIC_READ | GENERIC_WRITE);
    assertThat(statusOf(() -> open(ALICE, noDelete))).isEqualTo(NtStatus.INVALID_PARAMETER);

    FileObject dir =
        open(
            ALICE,
            new CreateRequest(
                "tmpdir",
                GENERIC_READ | DELETE,
                FILE_SHARE_ALL,
                FILE_CREATE,
                FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
                0));
    assertThat(shareDir.resolve("tmpdir")).isDirectory();
    dir.close();
    assertThat(shareDir.resolve("tmpdir")).doesNotExist();
  }
}
