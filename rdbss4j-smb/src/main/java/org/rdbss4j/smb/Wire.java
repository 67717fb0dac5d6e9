package org.rdbss4j.smb;

/** Little-endian fields of SMB2 messages in byte arrays, as the transport reads them. */
final class Wire {
  private Wire() {}

  /** Whether the message starts with the SMB2 protocol id (0xFE 'S' 'M' 'B'). */
  static boolean isSmb2(byte[] h) {
    return (h[0] & 0xFF) == 0xFE && h[1] == 'S' && h[2] == 'M' && h[3] == 'B';
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  static int u32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }

  static long u64(byte[] b, int at) {
    return (u32(b, at) & 0xFFFFFFFFL) | (long) u32(b, at + 4) << 32;
  }
}
