package org.rdbss4j.smb;

import com.hierynomus.security.Mac;
import com.hierynomus.security.SecurityException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CMAC (RFC 4493), the signature of SMB 3.x messages, on the JDK's AES: CBC encryption whose
 * last block is the tag, which the JDK runs with the processor's AES instructions. smbj's default
 * (Bouncy Castle's pure-Java AES) spends about 90% of a signed transfer's CPU time here and limits
 * it to about 40 MB/s written, 90 MB/s read.
 */
final class AesCmac implements Mac {
  private static final int BLOCK = 16;
  private static final byte[] ZERO_IV = new byte[BLOCK];

  private Cipher cbc;
  private SecretKeySpec key;
  private final byte[] k1 = new byte[BLOCK];
  private final byte[] k2 = new byte[BLOCK];

  /** The message's last block (or less), held back until doFinal: it is XOR-ed with a subkey. */
  private final byte[] last = new byte[BLOCK];

  private int lastLength;
  private byte[] scratch = new byte[4096];

  @Override
  public void init(byte[] keyBytes) throws SecurityException {
    try {
      key = new SecretKeySpec(keyBytes, "AES");
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, key);
      byte[] l = ecb.doFinal(new byte[BLOCK]);
      subkey(l, k1);
      subkey(k1, k2);
      cbc = Cipher.getInstance("AES/CBC/NoPadding");
      reset();
    } catch (GeneralSecurityException e) {
      throw new SecurityException(e);
    }
  }

  /** K1 from L and K2 from K1: a left shift, and the constant 0x87 when the top bit fell out. */
  private static void subkey(byte[] in, byte[] out) {
    int carry = 0;
    for (int i = BLOCK - 1; i >= 0; i--) {
      int b = in[i] & 0xFF;
      out[i] = (byte) ((b << 1) | carry);
      carry = b >>> 7;
    }
    if (carry != 0) {
      out[BLOCK - 1] ^= (byte) 0x87;
    }
  }

  @Override
  public void update(byte b) {
    if (lastLength == BLOCK) {
      flushLast();
    }
    last[lastLength++] = b;
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
    int fill = Math.min(BLOCK - lastLength, length);
    System.arraycopy(array, offset, last, lastLength, fill);
    lastLength += fill;
    offset += fill;
    length -= fill;
    if (length == 0) {
      return;
    }
    flushLast();
    // whole blocks through the cipher, keeping the final block (full or not) back
    int bulk = ((length - 1) / BLOCK) * BLOCK;
    if (bulk > 0) {
      if (scratch.length < bulk) {
        scratch = new byte[Math.max(bulk, scratch.length * 2)];
      }
      try {
        cbc.update(array, offset, bulk, scratch, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      offset += bulk;
      length -= bulk;
    }
    System.arraycopy(array, offset, last, 0, length);
    lastLength = length;
  }

  private void flushLast() {
    try {
      cbc.update(last, 0, BLOCK, scratch, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    lastLength = 0;
  }

  @Override
  public byte[] doFinal() {
    byte[] m = new byte[BLOCK];
    if (lastLength == BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        m[i] = (byte) (last[i] ^ k1[i]);
      }
    } else {
      System.arraycopy(last, 0, m, 0, lastLength);
      m[lastLength] = (byte) 0x80;
      for (int i = 0; i < BLOCK; i++) {
        m[i] ^= k2[i];
      }
    }
    try {
      byte[] tag = cbc.doFinal(m);
      reset();
      return tag;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void reset() {
    try {
      cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ZERO_IV));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Arrays.fill(last, (byte) 0);
    lastLength = 0;
  }
}
