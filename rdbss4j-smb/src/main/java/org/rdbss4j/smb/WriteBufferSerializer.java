package org.rdbss4j.smb;

import com.hierynomus.mssmb2.messages.SMB2WriteRequest;
import com.hierynomus.protocol.transport.PacketSerializer;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smb.SMBPacket;

/**
 * smbj's packet serializer, except that unsigned WRITE requests are serialized into one buffer kept
 * by the connection. smbj makes a new buffer for every packet; for a 1 MiB WRITE that is a 2 MiB
 * array, which the JVM allocates outside the young generation (a humongous object for G1) and
 * zeroes, under the connection's write lock: most of a pipelined write's client time. The transport
 * serializes and sends one packet at a time under that lock, so the buffer is free again when the
 * next packet is serialized. Other packets keep a buffer of their own: smbj reads some of them
 * again after sending (the negotiate and session setup hashes), and signed or encrypted packets
 * arrive wrapped.
 */
final class WriteBufferSerializer implements PacketSerializer<SMBPacket<?, ?>, SMBBuffer> {
  private final PacketSerializer<SMBPacket<?, ?>, ?> others;

  /** Made by the first WRITE (a connection that never writes holds none); grows as WRITEs do. */
  private SMBBuffer writes;

  WriteBufferSerializer(PacketSerializer<SMBPacket<?, ?>, ?> others) {
    this.others = others;
  }

  @Override
  public SMBBuffer write(SMBPacket<?, ?> packet) {
    if (packet instanceof SMB2WriteRequest w) {
      if (writes == null) {
        writes = new SMBBuffer(new byte[w.getMaxPayloadSize() + 4096]);
      }
      writes.rpos(0);
      writes.wpos(0);
      w.write(writes);
      return writes;
    }
    return (SMBBuffer) others.write(packet);
  }
}
