package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/**
 * Signing against Samba ({@code server signing = auto}, SMB 3.1.1): by default only what the
 * protocol requires is signed, as smbclient and the Linux cifs client do; {@code signAlways} and
 * {@code signingRequired} sign every request (and Samba then signs every response). Counted by the
 * mini-redirector's signing provider, which computes and verifies every signature.
 */
class SmbSigningTest extends SmbTestBase {
  private static final int SIZE = 4 * 1024 * 1024;

  private boolean signAlways;
  private boolean signingRequired;
  private boolean gmac = true;
  private java.util.Set<com.hierynomus.mssmb2.SMB2Dialect> dialects;

  @Override
  SmbOptions.Builder options() {
    // no lease: every READ and WRITE goes to the server
    SmbOptions.Builder b =
        super.options()
            .leases(false)
            .signAlways(signAlways)
            .signingRequired(signingRequired)
            .gmacSigning(gmac);
    return dialects == null ? b : b.dialects(dialects);
  }

  private SmbTransport transport;

  /** Writes and reads back 4 MiB (16 WRITEs and 16 READs of 256 KiB); the signatures it took. */
  private long signaturesForATransfer(String name) throws Exception {
    rdr.close();
    startRedirector();
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    SmbTransport t = ((SmbServer) x.netRoot().srvCall().context()).transport();
    transport = t;
    byte[] data = randomBytes(SIZE, 7);
    try (FileObject f = open(x, CreateRequest.openReadWrite(name))) {
      long before = t.signatures();
      writeAll(f, 0, data);
      assertThat(readAll(f, 0, SIZE)).isEqualTo(data);
      long used = t.signatures() - before;
      assertThat(Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve(name)))
          .isEqualTo(data);
      return used;
    }
  }

  @Test
  void dataIsSentUnsignedWhenNeitherSideRequiresSigning() throws Exception {
    assertThat(signaturesForATransfer("unsigned.bin")).isZero();
  }

  @Test
  void signAlwaysSignsEveryRequestAndVerifiesEveryResponse() throws Exception {
    signAlways = true;
    assertThat(signaturesForATransfer("signed.bin")).isGreaterThanOrEqualTo(2 * 32);
  }

  @Test
  void signingRequiredSignsEveryRequest() throws Exception {
    signingRequired = true;
    assertThat(signaturesForATransfer("required.bin")).isGreaterThanOrEqualTo(2 * 32);
  }

  /**
   * The signing algorithm Samba reports for alice's session, once the sessions of the test's
   * earlier redirectors are gone.
   */
  private String serverSigning() {
    assertThat(
            org.rdbss4j.testkit.Eventually.within(
                java.time.Duration.ofSeconds(10),
                () -> samba().smbstatus().sessionsOf(SambaServer.ALICE).size() == 1))
        .as("one session of alice's")
        .isTrue();
    return samba().smbstatus().sessionsOf(SambaServer.ALICE).getFirst().signing();
  }

  @Test
  void smb311NegotiatesAesGmacWhichSamba417PicksAndBothSidesSignWith() throws Exception {
    signAlways = true;
    assertThat(signaturesForATransfer("gmac.bin")).isGreaterThanOrEqualTo(2 * 32);
    assertThat(transport.signingAlgorithm()).isEqualTo("AES-128-GMAC");
    assertThat(serverSigning()).isEqualTo("AES-128-GMAC");
  }

  @Test
  void withGmacOffTheConnectionSignsWithAesCmac() throws Exception {
    signAlways = true;
    gmac = false;
    assertThat(signaturesForATransfer("cmac.bin")).isGreaterThanOrEqualTo(2 * 32);
    assertThat(transport.signingAlgorithm()).isEqualTo("AES-128-CMAC");
    assertThat(serverSigning()).isEqualTo("AES-128-CMAC");
  }

  @Test
  void smb302HasNoNegotiateContextsAndSignsWithAesCmac() throws Exception {
    signAlways = true;
    dialects = java.util.EnumSet.of(com.hierynomus.mssmb2.SMB2Dialect.SMB_3_0_2);
    assertThat(signaturesForATransfer("smb302.bin")).isGreaterThanOrEqualTo(2 * 32);
    assertThat(transport.signingAlgorithm()).isEqualTo("AES-128-CMAC");
    assertThat(serverSigning()).isEqualTo("AES-128-CMAC");
  }
}
