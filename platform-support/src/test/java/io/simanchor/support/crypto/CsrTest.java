package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;

import io.simanchor.support.crypto.CryptoInputException.Reason;

/** Decoding of PKCS#10 requests, PEM and public keys against hostile input; each refusal has its reason. */
class CsrTest {

    @Test
    void well_formed_csr_decodes_with_its_challenge_password_and_valid_signature() throws Exception {
        KeyPair keys = keyPair("secp256r1");
        Csr csr = Csr
                .fromPem(PemCodec.encode(PemCodec.CERTIFICATE_REQUEST, csrDer(keys, "SHA256withECDSA", "n0nce_-")));

        assertThat(csr.challengePassword()).contains("n0nce_-");
        assertThat(csr.hasValidSignature()).isTrue();
        assertThat(csr.publicKey().curve()).isEqualTo(EcCurve.SECP256R1);
    }

    @Test
    void tampered_signature_does_not_verify() throws Exception {
        byte[] der = csrDer(keyPair("secp256r1"), "SHA256withECDSA", "nonce");
        der[der.length - 3] ^= 0x40;
        assertThat(Csr.fromDer(der).hasValidSignature()).isFalse();
    }

    @Test
    void trailing_bytes_and_truncation_are_refused() throws Exception {
        byte[] der = csrDer(keyPair("secp256r1"), "SHA256withECDSA", "nonce");
        assertRefused(() -> Csr.fromDer(Arrays.copyOf(der, der.length + 2)), Reason.DER_MALFORMED);
        assertRefused(() -> Csr.fromDer(Arrays.copyOf(der, der.length - 10)), Reason.DER_MALFORMED);
        assertRefused(() -> Csr.fromDer(new byte[0]), Reason.DER_MALFORMED);
    }

    @Test
    void non_ecdsa_sha256_signatures_are_refused() throws Exception {
        assertRefused(() -> Csr.fromDer(csrDer(keyPair("secp256r1"), "SHA384withECDSA", "nonce")),
                Reason.SIGNATURE_ALGORITHM_UNSUPPORTED);
    }

    @Test
    void keys_off_the_allow_list_are_refused() throws Exception {
        assertRefused(() -> Csr.fromDer(csrDer(keyPair("secp384r1"), "SHA256withECDSA", "nonce")),
                Reason.CURVE_UNSUPPORTED);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertRefused(() -> EcPublicKey.of(rsa.generateKeyPair().getPublic()), Reason.KEY_TYPE_UNSUPPORTED);
    }

    @Test
    void point_off_the_curve_is_refused() throws Exception {
        byte[] spki = keyPair("secp256r1").getPublic().getEncoded();
        spki[spki.length - 1] ^= 0x01;
        assertRefused(() -> EcPublicKey.fromSpki(spki), Reason.INVALID_CURVE_POINT);
    }

    @Test
    void pem_mistakes_are_refused() throws Exception {
        byte[] der = csrDer(keyPair("secp256r1"), "SHA256withECDSA", "nonce");
        String pem = PemCodec.encode(PemCodec.CERTIFICATE_REQUEST, der);
        assertRefused(() -> PemCodec.decode("", PemCodec.CERTIFICATE_REQUEST), Reason.PEM_MALFORMED);
        assertRefused(() -> PemCodec.decode("hello", PemCodec.CERTIFICATE_REQUEST), Reason.PEM_MALFORMED);
        assertRefused(() -> PemCodec.decode(pem.substring(0, 60), PemCodec.CERTIFICATE_REQUEST), Reason.PEM_MALFORMED);
        assertRefused(() -> PemCodec.decode(pem + pem, PemCodec.CERTIFICATE_REQUEST), Reason.PEM_MALFORMED);
        assertRefused(() -> PemCodec.decode("junk" + pem, PemCodec.CERTIFICATE_REQUEST), Reason.PEM_MALFORMED);
        assertRefused(() -> PemCodec.decode(PemCodec.encode("CERTIFICATE", der), PemCodec.CERTIFICATE_REQUEST),
                Reason.PEM_WRONG_LABEL);
        assertThat(PemCodec.decode("\n  " + pem + "\n\n", PemCodec.CERTIFICATE_REQUEST)).isEqualTo(der);
    }

    @Test
    void thumbprint_is_rfc7638_as_nimbus_computes_it() throws Exception {
        KeyPair keys = keyPair("secp256r1");
        EcPublicKey key = EcPublicKey.of(keys.getPublic());
        String nimbus = new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) keys.getPublic()).build()
                .computeThumbprint()
                .toString();
        assertThat(key.thumbprint()).isEqualTo(nimbus);
        assertThat(key.toJwk().crv()).isEqualTo("P-256");
    }

    @Test
    void brainpool_keys_have_a_jwk_and_thumbprint() throws Exception {
        EcPublicKey key = EcPublicKey.of(keyPair("brainpoolP256r1").getPublic());
        assertThat(key.curve()).isEqualTo(EcCurve.BRAINPOOLP256R1);
        assertThat(key.toJwk().crv()).isEqualTo("BP-256");
        assertThat(key.thumbprint()).hasSize(43);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CryptoInputException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static KeyPair keyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProviders.bouncyCastle());
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static byte[] csrDer(KeyPair keys, String algorithm, String nonce) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=test"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(nonce))
                .build(new JcaContentSignerBuilder(algorithm).setProvider(CryptoProviders.bouncyCastle())
                        .build(keys.getPrivate()))
                .getEncoded();
    }
}
