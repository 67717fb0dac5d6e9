package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2CreateAction;
import com.hierynomus.mssmb2.messages.SMB2CreateResponse;
import com.hierynomus.protocol.commons.EnumWithValue;
import com.hierynomus.smb.SMBBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.SrvOpen;

/**
 * The file information an SMB2 CREATE response carries (MS-SMB2 2.2.14: the times, the allocation
 * size, the end of file and the attributes, that is FILE_NETWORK_OPEN_INFORMATION), so that an open
 * needs no QUERY_INFO when the redirector already knows what the response lacks: the file id and
 * the server's spelling of the name ({@link SrvOpen#knownInformation()}, from a directory listing
 * or an earlier query within the attribute cache's lifetime). smbj parses the times and attributes
 * but skips the two sizes, which are read here from the response's bytes.
 */
final class CreateReply {
  private static final int HEADER = 64;
  private static final int STRUCTURE_SIZE = 89;

  private CreateReply() {}

  /**
   * The file's information from the response and what the redirector knows, or {@code null} when a
   * query is needed: the redirector knows nothing fresh, the create made or replaced the file (a
   * new file id), the known entry is of another kind or has another creation time (another file
   * under the name since the id was learnt), or the response's bytes do not agree with what smbj
   * parsed from them.
   */
  static FileInfo info(SMB2CreateResponse resp, SrvOpen srvOpen, String path) {
    if (resp.getCreateAction() != SMB2CreateAction.FILE_OPENED) {
      return null;
    }
    FileInfo known = srvOpen.knownInformation();
    if (known == null) {
      return null;
    }
    SMBBuffer buf = resp.getBuffer();
    if (buf == null) {
      return null;
    }
    byte[] a = buf.array();
    int body = resp.getHeader().getHeaderStartPosition() + HEADER;
    int end = Math.min(a.length, resp.getHeader().getMessageEndPosition());
    if (body < 0 || body + 64 > end) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(a, 0, end).order(ByteOrder.LITTLE_ENDIAN);
    int attributes = bb.getInt(body + 56);
    long smbjAttributes = EnumWithValue.EnumUtils.toLong(resp.getFileAttributes());
    if ((bb.getShort(body) & 0xFFFF) != STRUCTURE_SIZE
        || bb.getLong(body + 8) != resp.getCreationTime().getWindowsTimeStamp()
        || bb.getLong(body + 24) != resp.getLastWriteTime().getWindowsTimeStamp()
        || (attributes & 0xFFFFFFFFL) != smbjAttributes) {
      return null;
    }
    boolean directory = (attributes & FileAccess.ATTRIBUTE_DIRECTORY) != 0;
    java.time.Instant created = FileInfos.instant(resp.getCreationTime());
    if (directory != known.directory() || !created.equals(known.creationTime())) {
      // another file under the name since the redirector learnt its id
      return null;
    }
    return new FileInfo(
        known.name() != null && !known.name().isEmpty()
            ? known.name()
            : FileInfos.lastComponent(path),
        directory,
        bb.getLong(body + 48),
        bb.getLong(body + 40),
        created,
        FileInfos.instant(resp.getLastAccessTime()),
        FileInfos.instant(resp.getLastWriteTime()),
        FileInfos.instant(resp.getChangeTime()),
        attributes,
        known.fileId());
  }
}
