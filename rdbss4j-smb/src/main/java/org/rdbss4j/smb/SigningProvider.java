package org.rdbss4j.smb;

import com.hierynomus.security.AEADBlockCipher;
import com.hierynomus.security.Cipher;
import com.hierynomus.security.DerivationFunction;
import com.hierynomus.security.Mac;
import com.hierynomus.security.MessageDigest;
import com.hierynomus.security.SecurityException;
import com.hierynomus.security.SecurityProvider;
import com.hierynomus.security.bc.BCSecurityProvider;
import com.hierynomus.security.jce.JceSecurityProvider;
import java.util.concurrent.atomic.LongAdder;

/**
 * smbj's security provider with message signing on the JDK's cryptography: AES-CMAC (SMB 3.x) by
 * {@link AesCmac}, AES-GMAC (SMB 3.1.1 when negotiated) by {@link AesGmac} and HMAC-SHA256 (SMB
 * 2.x) by the JDK, all running on processor instructions. Everything else (NTLM's digests, key
 * derivation, encryption) stays with smbj's default.
 */
final class SigningProvider implements SecurityProvider {
  private final SecurityProvider fallback = new BCSecurityProvider();
  private final SecurityProvider jdk = new JceSecurityProvider();
  private final LongAdder signatures = new LongAdder();

  /** Whether the connection negotiated AES-GMAC signing (SMB 3.1.1): set once, before any key. */
  private volatile boolean gmac;

  /**
   * The connection's NEGOTIATE picked AES-GMAC: from now on the SMB 3.x signing MAC smbj asks for
   * (by the name of AES-CMAC, the only one it knows) is AES-GMAC. One provider per connection.
   */
  void useGmac() {
    gmac = true;
  }

  /** Whether messages are signed with AES-GMAC rather than AES-CMAC. */
  boolean gmac() {
    return gmac;
  }

  /** The MAC that signs under {@code key} (its algorithm's), keyed. */
  Mac keyed(javax.crypto.SecretKey key) throws SecurityException {
    Mac mac = getMac(key.getAlgorithm());
    mac.init(key.getEncoded());
    return mac;
  }

  @Override
  public Mac getMac(String name) throws SecurityException {
    if ("AesCmac".equalsIgnoreCase(name)) {
      return new Counted(gmac ? new AesGmac() : new AesCmac());
    }
    if ("HmacSHA256".equalsIgnoreCase(name)) {
      return new Counted(jdk.getMac(name));
    }
    return fallback.getMac(name);
  }

  /** How many message signatures were computed or verified (for tests and status). */
  long signatures() {
    return signatures.sum();
  }

  /** A signing MAC that counts what it finishes. */
  private final class Counted implements Mac {
    private final Mac mac;

    Counted(Mac mac) {
      this.mac = mac;
    }

    @Override
    public void init(byte[] key) throws SecurityException {
      mac.init(key);
    }

    @Override
    public void update(byte b) {
      mac.update(b);
    }

    @Override
    public void update(byte[] array) {
      mac.update(array);
    }

    @Override
    public void update(byte[] array, int offset, int length) {
      mac.update(array, offset, length);
    }

    @Override
    public byte[] doFinal() {
      signatures.increment();
      return mac.doFinal();
    }

    @Override
    public void reset() {
      mac.reset();
    }
  }

  @Override
  public MessageDigest getDigest(String name) throws SecurityException {
    return fallback.getDigest(name);
  }

  @Override
  public Cipher getCipher(String name) throws SecurityException {
    return fallback.getCipher(name);
  }

  @Override
  public AEADBlockCipher getAEADBlockCipher(String name) throws SecurityException {
    return fallback.getAEADBlockCipher(name);
  }

  @Override
  public DerivationFunction getDerivationFunction(String name) throws SecurityException {
    return fallback.getDerivationFunction(name);
  }
}
