package org.rdbss4j.core;

/** Node type codes of RDBSS ({@code nodetype.h}), the first field of every RDBSS structure. */
public enum NodeType {
  SRV_CALL(0xEB10),
  NET_ROOT(0xEB11),
  V_NET_ROOT(0xEB12),
  SRV_OPEN(0xEB1C),
  INTERNAL_SRV_OPEN(0xEB1D),
  FOBX(0xEB07),
  RX_CONTEXT(0xEB08),
  FCB_TABLE(0xEB09),
  FCB_TABLE_ENTRY(0xEB0A),
  PREFIX_TABLE(0xEB0D),
  PREFIX_ENTRY(0xEB0E),
  DEVICE_FCB(0xEB9A),
  STORAGE_TYPE_UNKNOWN(0xEC00),
  STORAGE_TYPE_DIRECTORY(0xEC02),
  STORAGE_TYPE_FILE(0xEC03),
  STORAGE_TYPE_SPOOLFILE(0xECFC),
  STORAGE_TYPE_MAILSLOT(0xECFD),
  STORAGE_TYPE_IPC(0xECFE),
  STORAGE_TYPE_OPENTARGETDIR(0xECFF);

  /** {@code RX_SCAVENGER_MASK}: OR-ed into a node's code while the scavenger holds it. */
  public static final int SCAVENGER_MASK = 0x1000;

  private final int code;

  NodeType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** NodeTypeIsFcb: high byte 0xEC, or the device FCB. */
  public static boolean isFcb(int code) {
    int c = code & ~SCAVENGER_MASK;
    return (c & 0xFF00) == 0xEC00 || (c & 0xFFF0) == 0xEB90;
  }

  /** The type of a code, with the scavenger mark masked off. */
  public static NodeType of(int code) {
    int c = code & ~SCAVENGER_MASK;
    for (NodeType t : values()) {
      if (t.code == c) {
        return t;
      }
    }
    throw new IllegalArgumentException(String.format("unknown node type code 0x%04X", code));
  }
}
