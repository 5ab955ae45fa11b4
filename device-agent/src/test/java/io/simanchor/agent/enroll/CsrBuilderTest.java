package io.simanchor.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import io.simanchor.agent.sim.SoftwareSecureElement;

class CsrBuilderTest {

    @Test
    void csr_carries_the_nonce_as_challenge_password_and_is_signed_by_the_device_key() throws Exception {
        SoftwareKey key = SoftwareKey.generate(new SecureRandom());
        String nonce = "q2F_-xYz0123456789abcdefghijklmnopqrstuvwxyz";

        String pem = CsrBuilder.pem(CsrBuilder.build(key, nonce));

        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            csr = (PKCS10CertificationRequest) parser.readObject();
        }
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.keyPair().getPublic())))
                .isTrue();
        Attribute[] password = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        assertThat(password).hasSize(1);
        assertThat(((ASN1String) password[0].getAttrValues().getObjectAt(0)).getString()).isEqualTo(nonce);
    }

    @Test
    void csr_signed_by_the_sim_is_the_same_pkcs10_request() throws Exception {
        SoftwareSecureElement sim = SoftwareSecureElement.generate(new SecureRandom());
        String nonce = "q2F_-xYz0123456789abcdefghijklmnopqrstuvwxyz";

        PKCS10CertificationRequest csr = CsrBuilder.build(sim.publicKey(), nonce,
                message -> CompletableFuture.completedFuture(sim.signNow(message))).toCompletableFuture().join();

        PKCS10CertificationRequest parsed = new PKCS10CertificationRequest(csr.getEncoded());
        assertThat(parsed.isSignatureValid(new JcaContentVerifierProviderBuilder().build(sim.publicKey()))).isTrue();
        assertThat(parsed.getSignatureAlgorithm().getAlgorithm()).isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
        Attribute[] password = parsed.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        assertThat(((ASN1String) password[0].getAttrValues().getObjectAt(0)).getString()).isEqualTo(nonce);
    }
}
