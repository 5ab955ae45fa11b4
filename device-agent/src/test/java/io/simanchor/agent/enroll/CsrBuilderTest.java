package io.simanchor.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.SecureRandom;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

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
}
