package org.rdbss4j.smb;

import com.hierynomus.security.Mac;
import com.hierynomus.security.SecurityException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-GMAC, the signature of SMB 3.1.1 messages on a connection that negotiated it (MS-SMB2
 * 2.2.3.1.7, 3.1.4.1): the tag of AES-GCM over no plaintext with the whole message (signature field
 * zeroed) as the additional data, under a nonce made of the message's MessageId and two bits, set
 * for a message from the server and for a CANCEL. The JDK runs GCM's hash with the processor's
 * carry-less multiply, several times faster than AES-CMAC's chained blocks, and the server's side
 * of it is cheaper as well.
 *
 * <p>smbj feeds the message from its first byte, so the nonce is taken from the header once its
 * first {@value #HEADER} bytes are in. The JDK's GCM keeps all additional data until the tag is
 * asked for (two more copies of a message, in arrays that grow by doubling); its hash then runs at
 * about 4.9 GB/s once compiled, still well ahead of AES-CMAC, and the server's side is cheaper too.
 */
final class AesGmac implements Mac {
  private static final int HEADER = 64;
  private static final int TAG_BITS = 128;
  private static final int FLAGS_AT = 16;
  private static final int COMMAND_AT = 12;
  private static final int MESSAGE_ID_AT = 24;
  private static final int SERVER_TO_REDIR = 0x1;
  private static final int SMB2_CANCEL = 0x0C;

  private SecretKeySpec key;
  private Cipher gcm;
  private final byte[] header = new byte[HEADER];
  private int headerLength;

  @Override
  public void init(byte[] keyBytes) throws SecurityException {
    key = new SecretKeySpec(keyBytes, "AES");
    reset();
  }

  @Override
  public void update(byte b) {
    update(new byte[] {b}, 0, 1);
  }

  @Override
  public void update(byte[] array) {
    update(array, 0, array.length);
  }

  @Override
  public void update(byte[] array, int offset, int length) {
    if (length <= 0) {
      return;
    }
    if (gcm == null) {
      int take = Math.min(HEADER - headerLength, length);
      System.arraycopy(array, offset, header, headerLength, take);
      headerLength += take;
      offset += take;
      length -= take;
      if (headerLength < HEADER) {
        return;
      }
      start();
    }
    if (length > 0) {
      gcm.updateAAD(array, offset, length);
    }
  }

  /** The nonce from the header, and the header as the first additional data. */
  private void start() {
    byte[] nonce = new byte[12];
    System.arraycopy(header, MESSAGE_ID_AT, nonce, 0, 8);
    int flags = (header[FLAGS_AT] & 0xFF) | (header[FLAGS_AT + 1] & 0xFF) << 8;
    int command = (header[COMMAND_AT] & 0xFF) | (header[COMMAND_AT + 1] & 0xFF) << 8;
    if ((flags & SERVER_TO_REDIR) != 0) {
      nonce[8] |= 0x01;
    }
    if (command == SMB2_CANCEL) {
      nonce[8] |= 0x02;
    }
    try {
      // a new cipher each time: the JDK refuses to encrypt twice under one key and nonce with the
      // same object, and a server's interim and final responses share their MessageId
      gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
    gcm.updateAAD(header, 0, HEADER);
  }

  @Override
  public byte[] doFinal() {
    if (gcm == null) {
      // shorter than a header: nothing smbj signs, but a MAC must still answer
      start();
    }
    try {
      return gcm.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      reset();
    }
  }

  @Override
  public void reset() {
    gcm = null;
    headerLength = 0;
  }
}
