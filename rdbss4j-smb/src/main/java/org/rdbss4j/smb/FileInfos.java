package org.rdbss4j.smb;

import com.hierynomus.msdtyp.FileTime;
import com.hierynomus.msfscc.FileInformationClass;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import com.hierynomus.msfscc.fileinformation.FileDispositionInformation;
import com.hierynomus.msfscc.fileinformation.FileEndOfFileInformation;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.msfscc.fileinformation.FileInformation;
import com.hierynomus.msfscc.fileinformation.FileInformationFactory;
import com.hierynomus.msfscc.fileinformation.FileRenameInformation;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.protocol.commons.buffer.Endian;
import com.hierynomus.smb.SMBBuffer;
import java.time.Instant;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;

/**
 * File information between smbj's MS-FSCC structures and the core's {@link FileInfo} and {@link
 * SetInfo}.
 */
final class FileInfos {
  /** An encoded FileXxxInformation for SET_INFO. */
  record Encoded(FileInformationClass infoClass, byte[] data) {}

  private FileInfos() {}

  /** FileAllInformation as the core's information, named by the last component of the path. */
  static FileInfo fromAll(byte[] buffer, String path) {
    FileAllInformation all;
    try {
      all =
          FileInformationFactory.getDecoder(FileAllInformation.class)
              .read(new Buffer.PlainBuffer(buffer, Endian.LE));
    } catch (Buffer.BufferException e) {
      throw new RxException(NtStatus.INTERNAL_ERROR, "malformed FileAllInformation", e);
    }
    FileBasicInformation b = all.getBasicInformation();
    int attributes = (int) b.getFileAttributes();
    return new FileInfo(
        lastComponent(path),
        all.getStandardInformation().isDirectory()
            || (attributes & FileAccess.ATTRIBUTE_DIRECTORY) != 0,
        all.getStandardInformation().getEndOfFile(),
        all.getStandardInformation().getAllocationSize(),
        instant(b.getCreationTime()),
        instant(b.getLastAccessTime()),
        instant(b.getLastWriteTime()),
        instant(b.getChangeTime()),
        attributes,
        all.getInternalInformation().getIndexNumber());
  }

  /** A directory entry. */
  static FileInfo fromEntry(FileIdBothDirectoryInformation e) {
    int attributes = (int) e.getFileAttributes();
    return new FileInfo(
        e.getFileName(),
        (attributes & FileAccess.ATTRIBUTE_DIRECTORY) != 0,
        e.getEndOfFile(),
        e.getAllocationSize(),
        instant(e.getCreationTime()),
        instant(e.getLastAccessTime()),
        instant(e.getLastWriteTime()),
        instant(e.getChangeTime()),
        attributes,
        e.getFileId());
  }

  /** The SET_INFO payload of a change; a rename's target is relative to the share's root. */
  static Encoded encode(SetInfo info) {
    FileInformation fi =
        switch (info) {
          case SetInfo.EndOfFile eof -> new FileEndOfFileInformation(eof.size());
          case SetInfo.Rename rn ->
              new FileRenameInformation(
                  rn.replaceIfExists(), 0, stripLeadingSeparators(rn.newPath()));
          case SetInfo.Disposition d -> new FileDispositionInformation(d.deleteFile());
          case SetInfo.Basic b ->
              new FileBasicInformation(
                  fileTime(b.creationTime()),
                  fileTime(b.lastAccessTime()),
                  fileTime(b.lastWriteTime()),
                  FileBasicInformation.DONT_SET,
                  b.attributes() == -1 ? 0 : b.attributes() & 0xFFFFFFFFL);
        };
    return encode(fi);
  }

  private static <F extends FileInformation> Encoded encode(F fi) {
    FileInformation.Encoder<F> encoder = FileInformationFactory.getEncoder(fi);
    SMBBuffer buffer = new SMBBuffer();
    encoder.write(fi, buffer);
    return new Encoded(encoder.getInformationClass(), buffer.getCompactData());
  }

  /** A FILETIME (100 ns since 1601) as an Instant, to the 100 ns (smbj's own stops at ms). */
  static Instant instant(FileTime t) {
    if (t == null) {
      return Instant.EPOCH;
    }
    long sinceUnix = t.getWindowsTimeStamp() - FileTime.WINDOWS_TO_UNIX_EPOCH;
    return Instant.ofEpochSecond(
        Math.floorDiv(sinceUnix, 10_000_000L), Math.floorMod(sinceUnix, 10_000_000L) * 100);
  }

  static FileTime fileTime(Instant i) {
    if (i == null) {
      return FileBasicInformation.DONT_SET;
    }
    return new FileTime(
        FileTime.WINDOWS_TO_UNIX_EPOCH + i.getEpochSecond() * 10_000_000L + i.getNano() / 100);
  }

  static String lastComponent(String path) {
    int i = path.lastIndexOf('\\');
    return i < 0 ? path : path.substring(i + 1);
  }

  private static String stripLeadingSeparators(String p) {
    int i = 0;
    while (i < p.length() && (p.charAt(i) == '\\' || p.charAt(i) == '/')) {
      i++;
    }
    return p.substring(i).replace('/', '\\');
  }
}
