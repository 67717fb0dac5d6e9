package org.rdbss4j.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.mssmb2.SMB2CreateAction;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.protocol.commons.EnumWithValue;
import java.util.EnumSet;
import java.util.Set;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * The parameters of an SMB2 CREATE from a {@link CreateRequest}: the access mask with generic
 * rights expanded to specific rights, share access, disposition, create options and attributes, all
 * with their NT values.
 *
 * <p>GENERIC_READ, GENERIC_WRITE and GENERIC_EXECUTE follow the file generic mapping. GENERIC_ALL
 * is sent as read, write and delete ({@link #ALL_USED_BY_FILE_CLIENTS}), not as FILE_ALL_ACCESS:
 * Samba refuses GENERIC_ALL outright, and FILE_ALL_ACCESS on every file that is not executable for
 * the user (FILE_EXECUTE) or whose ACL the user may not change (WRITE_DAC, WRITE_OWNER). Those
 * rights are sent when asked for by name.
 */
final class Access {
  static final int GENERIC_READ = 0x80000000;
  static final int GENERIC_WRITE = 0x40000000;
  static final int GENERIC_EXECUTE = 0x20000000;
  static final int GENERIC_ALL = 0x10000000;

  /** FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE and FILE_ALL_ACCESS. */
  static final int FILE_GENERIC_READ = 0x00120089;

  static final int FILE_GENERIC_WRITE = 0x00120116;
  static final int FILE_GENERIC_EXECUTE = 0x001200A0;
  static final int FILE_ALL_ACCESS = 0x001F01FF;

  /** What GENERIC_ALL is sent as: FILE_GENERIC_READ, FILE_GENERIC_WRITE and DELETE. */
  static final int ALL_USED_BY_FILE_CLIENTS =
      FILE_GENERIC_READ | FILE_GENERIC_WRITE | FileAccess.DELETE;

  /** Every create option smbj can put on the wire. */
  private static final long KNOWN_OPTIONS =
      EnumWithValue.EnumUtils.toLong(EnumSet.allOf(SMB2CreateOptions.class));

  private Access() {}

  /**
   * The specific rights asked for. FILE_READ_ATTRIBUTES is always added: it takes no part in
   * sharing, and it lets the open's file information be read back; what the caller may do is still
   * checked against the request's own access by the core.
   */
  static int specificRights(int desiredAccess) {
    int a = desiredAccess & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    if ((desiredAccess & GENERIC_READ) != 0) {
      a |= FILE_GENERIC_READ;
    }
    if ((desiredAccess & GENERIC_WRITE) != 0) {
      a |= FILE_GENERIC_WRITE;
    }
    if ((desiredAccess & GENERIC_EXECUTE) != 0) {
      a |= FILE_GENERIC_EXECUTE;
    }
    if ((desiredAccess & GENERIC_ALL) != 0) {
      a |= ALL_USED_BY_FILE_CLIENTS;
    }
    return a | FileAccess.FILE_READ_ATTRIBUTES;
  }

  static Set<AccessMask> accessMask(int desiredAccess) {
    long bits = specificRights(desiredAccess) & 0xFFFFFFFFL;
    Set<AccessMask> s = EnumSet.noneOf(AccessMask.class);
    long covered = 0;
    for (AccessMask m : AccessMask.values()) {
      if ((m.getValue() & bits) == m.getValue() && (covered & m.getValue()) != m.getValue()) {
        s.add(m);
        covered |= m.getValue();
      }
    }
    if (covered != bits) {
      throw new RxException(
          NtStatus.INVALID_PARAMETER,
          String.format("access mask 0x%08X has rights SMB2 cannot send", bits & ~covered));
    }
    return s;
  }

  static Set<SMB2ShareAccess> shareAccess(int shareAccess) {
    return EnumWithValue.EnumUtils.toEnumSet(shareAccess & 0x7, SMB2ShareAccess.class);
  }

  static SMB2CreateDisposition disposition(int disposition) {
    SMB2CreateDisposition d =
        EnumWithValue.EnumUtils.valueOf(disposition, SMB2CreateDisposition.class, null);
    if (d == null) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "create disposition " + disposition);
    }
    return d;
  }

  static Set<SMB2CreateOptions> createOptions(int createOptions) {
    if ((createOptions & ~KNOWN_OPTIONS) != 0) {
      throw new RxException(
          NtStatus.INVALID_PARAMETER, String.format("create options 0x%08X", createOptions));
    }
    return EnumWithValue.EnumUtils.toEnumSet(createOptions, SMB2CreateOptions.class);
  }

  static Set<FileAttributes> attributes(int attributes) {
    return EnumWithValue.EnumUtils.toEnumSet(attributes, FileAttributes.class);
  }

  static CreateResult.Action action(SMB2CreateAction a) {
    if (a == null) {
      return CreateResult.Action.OPENED;
    }
    return switch (a) {
      case FILE_SUPERSEDED -> CreateResult.Action.SUPERSEDED;
      case FILE_OPENED -> CreateResult.Action.OPENED;
      case FILE_CREATED -> CreateResult.Action.CREATED;
      case FILE_OVERWRITTEN -> CreateResult.Action.OVERWRITTEN;
    };
  }
}
