package org.rdbss4j.bench;

import com.hierynomus.security.Mac;
import com.hierynomus.security.SecurityException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CMAC (RFC 4493), the SMB 3.x signing algorithm, on the JDK's AES: CBC over the message with
 * the last block tweaked by a subkey. The JDK's AES uses the processor's AES instructions, where
 * the BouncyCastle engine smbj uses by default runs in plain Java; signing is then no longer the
 * bottleneck of a signed SMB 3 session.
 */
final class JceAesCmac implements Mac {
  private static final int BLOCK = 16;
  private static final int SCRATCH = 64 * 1024;

  private Cipher cbc;
  private SecretKeySpec key;
  private final byte[] k1 = new byte[BLOCK];
  private final byte[] k2 = new byte[BLOCK];

  /** Bytes not yet chained: the last block is held back until doFinal knows it is last. */
  private final byte[] pending = new byte[SCRATCH + BLOCK];

  private int pendingLength;
  private final byte[] out = new byte[SCRATCH + BLOCK];

  @Override
  public void init(byte[] keyBytes) throws SecurityException {
    try {
      key = new SecretKeySpec(keyBytes, "AES");
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, key);
      byte[] l = ecb.doFinal(new byte[BLOCK]);
      shiftXor(l, k1);
      shiftXor(k1, k2);
      cbc = Cipher.getInstance("AES/CBC/NoPadding");
      reset();
    } catch (GeneralSecurityException e) {
      throw new SecurityException(e);
    }
  }

  /** dst = src << 1, xor 0x87 into the last byte if the top bit of src was set. */
  private static void shiftXor(byte[] src, byte[] dst) {
    int carry = 0;
    for (int i = BLOCK - 1; i >= 0; i--) {
      int b = src[i] & 0xff;
      dst[i] = (byte) ((b << 1) | carry);
      carry = b >>> 7;
    }
    if ((src[0] & 0x80) != 0) {
      dst[BLOCK - 1] ^= (byte) 0x87;
    }
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
    while (length > 0) {
      int n = Math.min(length, pending.length - pendingLength);
      System.arraycopy(array, offset, pending, pendingLength, n);
      pendingLength += n;
      offset += n;
      length -= n;
      chainAllButLastBlock();
    }
  }

  /** Runs every complete block through CBC except the last, which may be the final block. */
  private void chainAllButLastBlock() {
    if (pendingLength <= BLOCK) {
      return;
    }
    int chain = ((pendingLength - 1) / BLOCK) * BLOCK;
    try {
      cbc.update(pending, 0, chain, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    System.arraycopy(pending, chain, pending, 0, pendingLength - chain);
    pendingLength -= chain;
  }

  @Override
  public byte[] doFinal() {
    byte[] last = new byte[BLOCK];
    if (pendingLength == BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        last[i] = (byte) (pending[i] ^ k1[i]);
      }
    } else {
      System.arraycopy(pending, 0, last, 0, pendingLength);
      last[pendingLength] = (byte) 0x80;
      for (int i = 0; i < BLOCK; i++) {
        last[i] ^= k2[i];
      }
    }
    try {
      byte[] tag = cbc.doFinal(last);
      reset();
      return tag;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void reset() {
    pendingLength = 0;
    try {
      cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[BLOCK]));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
