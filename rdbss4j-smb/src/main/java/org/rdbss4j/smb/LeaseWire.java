package org.rdbss4j.smb;

import static com.hierynomus.protocol.commons.EnumWithValue.EnumUtils.toLong;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2FileId;
import com.hierynomus.mssmb2.SMB2Functions;
import com.hierynomus.mssmb2.SMB2ImpersonationLevel;
import com.hierynomus.mssmb2.SMB2MessageCommandCode;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMB2PacketHeader;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.messages.SMB2CreateRequest;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smbj.common.SmbPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.rdbss4j.core.Buffering;

/**
 * The SMB2 lease messages smbj 0.14.0 does not have ([MS-SMB2] 2.2.13, 2.2.14, 2.2.23.2, 2.2.24.2,
 * 2.2.25.2): a CREATE asking for a lease (a create context {@code RqLs}, version 1 on SMB 2.1,
 * version 2 on 3.x), the lease granted in a CREATE response, the lease break notification and the
 * lease break acknowledgement. smbj's own CREATE request sends no create contexts and oplock level
 * none, and its CREATE response skips the oplock level and the contexts; the raw response buffer
 * still holds them.
 */
final class LeaseWire {
  /** SMB2_LEASE_READ_CACHING. */
  static final int READ = 0x1;

  /** SMB2_LEASE_HANDLE_CACHING. */
  static final int HANDLE = 0x2;

  /** SMB2_LEASE_WRITE_CACHING. */
  static final int WRITE = 0x4;

  /** SMB2_OPLOCK_LEVEL_LEASE. */
  static final int OPLOCK_LEVEL_LEASE = 0xFF;

  /** SMB2_OPLOCK_LEVEL_II. */
  static final int OPLOCK_LEVEL_II = 0x01;

  /** SMB2_OPLOCK_LEVEL_EXCLUSIVE. */
  static final int OPLOCK_LEVEL_EXCLUSIVE = 0x08;

  /** SMB2_OPLOCK_LEVEL_BATCH. */
  static final int OPLOCK_LEVEL_BATCH = 0x09;

  /** SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED. */
  static final int ACK_REQUIRED = 0x1;

  private static final int HEADER = SMB2PacketHeader.STRUCTURE_SIZE;

  private LeaseWire() {}

  /** Whether a dialect has leases (2.1 and later). */
  static boolean hasLeases(SMB2Dialect d) {
    return d == SMB2Dialect.SMB_2_1 || d.isSmb3x();
  }

  /** The core's buffering state for a lease state. */
  static Set<Buffering> buffering(int state) {
    EnumSet<Buffering> s = EnumSet.noneOf(Buffering.class);
    if ((state & READ) != 0) {
      s.add(Buffering.READ);
    }
    if ((state & WRITE) != 0) {
      s.add(Buffering.WRITE);
    }
    if ((state & HANDLE) != 0) {
      s.add(Buffering.HANDLE);
    }
    return s;
  }

  /**
   * The lease-style state (R, W, H bits) an oplock level allows: batch all three, exclusive R and
   * W, level II R, none nothing.
   */
  static int oplockState(int level) {
    return switch (level) {
      case OPLOCK_LEVEL_BATCH -> READ | WRITE | HANDLE;
      case OPLOCK_LEVEL_EXCLUSIVE -> READ | WRITE;
      case OPLOCK_LEVEL_II -> READ;
      default -> 0;
    };
  }

  /** "RWH"-style text of a lease state, for logs. */
  static String text(int state) {
    StringBuilder b = new StringBuilder();
    b.append((state & READ) != 0 ? "R" : "");
    b.append((state & WRITE) != 0 ? "W" : "");
    b.append((state & HANDLE) != 0 ? "H" : "");
    return b.isEmpty() ? "none" : b.toString();
  }

  /**
   * SMB2 CREATE with RequestedOplockLevel SMB2_OPLOCK_LEVEL_LEASE and an SMB2_CREATE_REQUEST_LEASE
   * (v1) or SMB2_CREATE_REQUEST_LEASE_V2 context, or, without a lease key (SMB 2.0.2, which has no
   * leases), SMB2_OPLOCK_LEVEL_BATCH and no context. The body is written here as smbj writes its
   * own, plus the context; the class stays an {@link SMB2CreateRequest} so that smbj parses the
   * response as a CREATE response. It cannot call smbj's {@code writeTo} and patch the oplock level
   * and the context offset afterwards: on a signed session smbj hands it a buffer that feeds each
   * byte to the signature as it is put (PacketSignatory's SigningBuffer), so bytes changed after
   * being put would be sent with a wrong signature.
   */
  static final class LeaseCreateRequest extends SMB2CreateRequest {
    private final SMB2ImpersonationLevel impersonation;
    private final Set<AccessMask> access;
    private final Set<FileAttributes> attributes;
    private final Set<SMB2ShareAccess> share;
    private final SMB2CreateDisposition disposition;
    private final Set<SMB2CreateOptions> options;
    private final String fileName;
    private final byte[] leaseKey;
    private final int leaseState;
    private final boolean v2;

    @SuppressWarnings("checkstyle:ParameterNumber")
    LeaseCreateRequest(
        SMB2Dialect dialect,
        long sessionId,
        long treeId,
        SMB2ImpersonationLevel impersonation,
        Set<AccessMask> access,
        Set<FileAttributes> attributes,
        Set<SMB2ShareAccess> share,
        SMB2CreateDisposition disposition,
        Set<SMB2CreateOptions> options,
        SmbPath path,
        byte[] leaseKey,
        int leaseState) {
      super(
          dialect,
          sessionId,
          treeId,
          impersonation,
          access,
          attributes,
          share,
          disposition,
          options,
          path);
      if (path.getPath() == null || path.getPath().isEmpty()) {
        throw new IllegalArgumentException("no lease on a share's root");
      }
      this.impersonation = impersonation;
      this.access = access;
      this.attributes = attributes == null ? EnumSet.noneOf(FileAttributes.class) : attributes;
      this.share = share == null ? EnumSet.noneOf(SMB2ShareAccess.class) : share;
      this.disposition = disposition;
      this.options = options == null ? EnumSet.noneOf(SMB2CreateOptions.class) : options;
      this.fileName = path.getPath();
      this.leaseKey = leaseKey == null ? null : leaseKey.clone();
      this.leaseState = leaseState;
      this.v2 = dialect.isSmb3x();
    }

    @Override
    protected void writeTo(SMBBuffer buffer) {
      byte[] name = SMB2Functions.unicode(fileName);
      int nameOffset = HEADER + 56;
      int contextOffset = leaseKey == null ? 0 : align8(nameOffset + name.length);
      byte[] context = leaseKey == null ? new byte[0] : leaseContext();
      buffer.putUInt16(structureSize); // StructureSize
      buffer.putByte((byte) 0); // SecurityFlags
      // RequestedOplockLevel
      buffer.putByte((byte) (leaseKey == null ? OPLOCK_LEVEL_BATCH : OPLOCK_LEVEL_LEASE));
      buffer.putUInt32(impersonation.getValue()); // ImpersonationLevel
      buffer.putReserved(8); // SmbCreateFlags
      buffer.putReserved(8); // Reserved
      buffer.putUInt32(toLong(access)); // DesiredAccess
      buffer.putUInt32(toLong(attributes)); // FileAttributes
      buffer.putUInt32(toLong(share)); // ShareAccess
      buffer.putUInt32(disposition.getValue()); // CreateDisposition
      buffer.putUInt32(toLong(options)); // CreateOptions
      buffer.putUInt16(nameOffset); // NameOffset
      buffer.putUInt16(name.length); // NameLength
      buffer.putUInt32(contextOffset); // CreateContextsOffset
      buffer.putUInt32(context.length); // CreateContextsLength
      buffer.putRawBytes(name);
      if (leaseKey != null) {
        buffer.putReserved(contextOffset - nameOffset - name.length);
        buffer.putRawBytes(context);
      }
    }

    /** One SMB2_CREATE_CONTEXT named RqLs with the lease request. */
    private byte[] leaseContext() {
      int dataLength = v2 ? 52 : 32;
      ByteBuffer b = ByteBuffer.allocate(24 + dataLength).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(0); // Next
      b.putShort((short) 16); // NameOffset
      b.putShort((short) 4); // NameLength
      b.putShort((short) 0); // Reserved
      b.putShort((short) 24); // DataOffset
      b.putInt(dataLength); // DataLength
      b.put(new byte[] {'R', 'q', 'L', 's', 0, 0, 0, 0}); // Name, padded to 8
      b.put(leaseKey); // LeaseKey
      b.putInt(leaseState); // LeaseState
      b.putInt(0); // LeaseFlags (no parent lease key)
      b.putLong(0); // LeaseDuration
      if (v2) {
        b.put(new byte[16]); // ParentLeaseKey
        b.putShort((short) 0); // Epoch
        b.putShort((short) 0); // Reserved
      }
      return b.array();
    }
  }

  private static int align8(int n) {
    return (n + 7) & ~7;
  }

  /**
   * The lease state granted in a CREATE response for {@code leaseKey}: -1 when the server granted
   * no lease (oplock level not LEASE, or no lease context for this key).
   */
  static int grantedState(SMB2Packet createResponse, byte[] leaseKey) {
    SMBBuffer buf = createResponse.getBuffer();
    if (buf == null) {
      return -1;
    }
    byte[] a = buf.array();
    int h = createResponse.getHeader().getHeaderStartPosition();
    int end = Math.min(a.length, createResponse.getHeader().getMessageEndPosition());
    ByteBuffer bb = ByteBuffer.wrap(a, 0, end).order(ByteOrder.LITTLE_ENDIAN);
    int body = h + HEADER;
    if (body + 88 > end || (a[body + 2] & 0xFF) != OPLOCK_LEVEL_LEASE) {
      return -1;
    }
    long ctxOffset = bb.getInt(body + 80) & 0xFFFFFFFFL;
    long ctxLength = bb.getInt(body + 84) & 0xFFFFFFFFL;
    if (ctxOffset == 0 || ctxLength == 0 || h + ctxOffset + ctxLength > end) {
      return -1;
    }
    int ctx = (int) (h + ctxOffset);
    int limit = (int) (ctx + ctxLength);
    while (ctx + 16 <= limit) {
      int next = bb.getInt(ctx);
      int nameOff = bb.getShort(ctx + 4) & 0xFFFF;
      int nameLen = bb.getShort(ctx + 6) & 0xFFFF;
      int dataOff = bb.getShort(ctx + 10) & 0xFFFF;
      int dataLen = bb.getInt(ctx + 12);
      if (nameLen == 4
          && ctx + nameOff + 4 <= limit
          && a[ctx + nameOff] == 'R'
          && a[ctx + nameOff + 1] == 'q'
          && a[ctx + nameOff + 2] == 'L'
          && a[ctx + nameOff + 3] == 's'
          && dataLen >= 32
          && ctx + dataOff + 20 <= limit) {
        int d = ctx + dataOff;
        if (!Arrays.equals(a, d, d + 16, leaseKey, 0, 16)) {
          return -1;
        }
        return bb.getInt(d + 16) & (READ | WRITE | HANDLE);
      }
      if (next <= 0) {
        break;
      }
      ctx += next;
    }
    return -1;
  }

  /** The oplock level granted in a CREATE response (0 for none, 0xFF for a lease). */
  static int oplockLevel(SMB2Packet createResponse) {
    SMBBuffer buf = createResponse.getBuffer();
    int body = createResponse.getHeader().getHeaderStartPosition() + HEADER;
    if (buf == null || body + 3 > buf.array().length) {
      return 0;
    }
    return buf.array()[body + 2] & 0xFF;
  }

  /** The 16 bytes of the file id in a CREATE response, as the server sends them. */
  static byte[] fileId(SMB2Packet createResponse) {
    int body = createResponse.getHeader().getHeaderStartPosition() + HEADER;
    return Arrays.copyOfRange(createResponse.getBuffer().array(), body + 64, body + 80);
  }

  /**
   * An SMB2 lease break notification (2.2.23.2), or an oplock break notification (2.2.23.1): then
   * {@code leaseKey} is the file id, {@code oplockLevel} the new level and {@code newState} its
   * lease-style state.
   */
  record LeaseBreak(
      byte[] leaseKey,
      int flags,
      int currentState,
      int newState,
      int epoch,
      boolean oplock,
      int oplockLevel) {
    boolean ackRequired() {
      return (flags & ACK_REQUIRED) != 0;
    }
  }

  /**
   * Parses a server-to-client OPLOCK_BREAK message: a lease break notification (StructureSize 44)
   * or an oplock break notification (StructureSize 24); null when malformed.
   */
  static LeaseBreak parseBreak(byte[] a, int headerStart, int end) {
    int body = headerStart + HEADER;
    if (body + 24 > end) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(a, 0, end).order(ByteOrder.LITTLE_ENDIAN);
    int size = bb.getShort(body) & 0xFFFF;
    if (size == 24) {
      int level = a[body + 2] & 0xFF;
      return new LeaseBreak(
          Arrays.copyOfRange(a, body + 8, body + 24), 0, -1, oplockState(level), 0, true, level);
    }
    if (size != 44 || body + 44 > end) {
      return null;
    }
    return new LeaseBreak(
        Arrays.copyOfRange(a, body + 8, body + 24),
        bb.getInt(body + 4),
        bb.getInt(body + 24),
        bb.getInt(body + 28),
        bb.getShort(body + 2) & 0xFFFF,
        false,
        0);
  }

  /** The SMB2 Oplock Break Acknowledgment (2.2.24.1), with the level the server broke to. */
  static final class OplockBreakAck extends SMB2Packet {
    private final SMB2FileId fileId;
    private final int level;

    OplockBreakAck(SMB2Dialect dialect, long sessionId, long treeId, SMB2FileId id, int level) {
      super(24, dialect, SMB2MessageCommandCode.SMB2_OPLOCK_BREAK, sessionId, treeId);
      this.fileId = id;
      this.level = level;
    }

    @Override
    protected void writeTo(SMBBuffer buffer) {
      buffer.putUInt16(structureSize); // StructureSize
      buffer.putByte((byte) level); // OplockLevel
      buffer.putReserved1(); // Reserved
      buffer.putReserved4(); // Reserved2
      fileId.write(buffer); // FileId
    }
  }

  /** The SMB2 Lease Break Acknowledgment (2.2.24.2), sent on a session and tree of the lease. */
  static final class LeaseBreakAck extends SMB2Packet {
    private final byte[] leaseKey;
    private final int leaseState;

    LeaseBreakAck(SMB2Dialect dialect, long sessionId, long treeId, byte[] key, int state) {
      super(36, dialect, SMB2MessageCommandCode.SMB2_OPLOCK_BREAK, sessionId, treeId);
      this.leaseKey = key.clone();
      this.leaseState = state;
    }

    @Override
    protected void writeTo(SMBBuffer buffer) {
      buffer.putUInt16(structureSize); // StructureSize
      buffer.putReserved2(); // Reserved
      buffer.putUInt32(0); // Flags
      buffer.putRawBytes(leaseKey); // LeaseKey
      buffer.putUInt32(leaseState & 0xFFFFFFFFL); // LeaseState
      buffer.putUInt64(0); // LeaseDuration
    }
  }
}
