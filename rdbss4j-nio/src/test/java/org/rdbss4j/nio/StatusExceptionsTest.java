package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

class StatusExceptionsTest {

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(NtStatus.OBJECT_NAME_NOT_FOUND, NoSuchFileException.class),
        Arguments.of(NtStatus.OBJECT_PATH_NOT_FOUND, NoSuchFileException.class),
        Arguments.of(NtStatus.NO_SUCH_FILE, NoSuchFileException.class),
        Arguments.of(NtStatus.DELETE_PENDING, NoSuchFileException.class),
        Arguments.of(NtStatus.ACCESS_DENIED, AccessDeniedException.class),
        Arguments.of(NtStatus.NETWORK_ACCESS_DENIED, AccessDeniedException.class),
        Arguments.of(NtStatus.CANNOT_DELETE, AccessDeniedException.class),
        Arguments.of(NtStatus.OBJECT_NAME_COLLISION, FileAlreadyExistsException.class),
        Arguments.of(NtStatus.DIRECTORY_NOT_EMPTY, DirectoryNotEmptyException.class),
        Arguments.of(NtStatus.NOT_A_DIRECTORY, NotDirectoryException.class),
        Arguments.of(NtStatus.SHARING_VIOLATION, FileSystemException.class),
        Arguments.of(NtStatus.BAD_NETWORK_NAME, FileSystemException.class),
        Arguments.of(NtStatus.NETWORK_NAME_DELETED, FileSystemException.class));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void eachStatusBecomesItsStandardException(NtStatus status, Class<?> type) {
    RxException rx = new RxException(status, "why");
    IOException e = StatusExceptions.translate(rx, "\\a\\b", null);
    assertThat(e).isInstanceOf(type).hasCause(rx);
    assertThat(((FileSystemException) e).getFile()).isEqualTo("\\a\\b");
    assertThat(((FileSystemException) e).getReason()).contains("STATUS_" + status.name(), "why");
    assertThat(StatusExceptions.statusOf(e)).isEqualTo(status);
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void aStatusWithoutItsOwnTypeIsExactlyAFileSystemException(NtStatus status, Class<?> type) {
    IOException e = StatusExceptions.translate(new RxException(status, ""), "x", "y");
    if (type == FileSystemException.class) {
      assertThat(e.getClass()).isEqualTo(FileSystemException.class);
      assertThat(((FileSystemException) e).getOtherFile()).isEqualTo("y");
    }
  }

  @Test
  void aRawServerCodeKeepsItsValue() {
    RxException rx = new RxException(0xC00000FB, "a server's own status", null);
    IOException e = StatusExceptions.translate(rx, "f", null);
    assertThat(e.getClass()).isEqualTo(FileSystemException.class);
    assertThat(e.getMessage()).contains("0xC00000FB");
  }
}
