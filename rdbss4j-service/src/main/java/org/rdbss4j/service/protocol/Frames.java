package org.rdbss4j.service.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The framing of the control protocol: a 4-byte big-endian payload length, then that many bytes of
 * UTF-8 JSON (one object). A length of 0 or above {@link #MAX_FRAME} is refused before any payload
 * is read. See {@code docs/control-protocol.md}.
 */
public final class Frames {
  /** The largest payload accepted, in bytes. */
  public static final int MAX_FRAME = 1 << 20;

  private Frames() {}

  /** A frame that cannot be used; {@link #fatal()} ones leave the stream out of step. */
  public static final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean fatal;

    FrameException(String message, boolean fatal) {
      super(message);
      this.fatal = fatal;
    }

    /** Whether the connection must be closed after replying (the payload was not consumed). */
    public boolean fatal() {
      return fatal;
    }
  }

  /** Writes one message as a frame. */
  public static void write(WritableByteChannel ch, Map<String, ?> message) throws IOException {
    byte[] payload = Json.write(message).getBytes(StandardCharsets.UTF_8);
    if (payload.length > MAX_FRAME) {
      throw new IOException("message larger than " + MAX_FRAME + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
    b.putInt(payload.length).put(payload).flip();
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * Reads one frame and parses its JSON object.
   *
   * @return the message, or {@code null} at a clean end of stream before a frame starts
   * @throws FrameException for a bad length (fatal) or a payload that is not a JSON object in UTF-8
   * @throws EOFException when the stream ends inside a frame
   */
  public static Map<String, Object> read(ReadableByteChannel ch)
      throws IOException, FrameException {
    ByteBuffer len = ByteBuffer.allocate(4);
    if (!readFully(ch, len, true)) {
      return null;
    }
    int n = len.flip().getInt();
    if (n <= 0 || n > MAX_FRAME) {
      throw new FrameException(
          "frame length " + Integer.toUnsignedString(n) + " outside 1.." + MAX_FRAME, true);
    }
    ByteBuffer payload = ByteBuffer.allocate(n);
    readFully(ch, payload, false);
    payload.flip();
    CharBuffer text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(payload);
    } catch (CharacterCodingException e) {
      throw new FrameException("payload is not UTF-8", false);
    }
    try {
      return Json.parseObject(text.toString());
    } catch (Json.JsonException e) {
      throw new FrameException("payload is not a JSON object: " + e.getMessage(), false);
    }
  }

  private static boolean readFully(ReadableByteChannel ch, ByteBuffer b, boolean eofOk)
      throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        if (eofOk && b.position() == 0) {
          return false;
        }
        throw new EOFException("stream ended inside a frame");
      }
    }
    return true;
  }
}
