package io.simanchor.agent.enroll;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds the enrollment CSR: PKCS#10 signed by the device key, with the server nonce as its
 * challengePassword, which makes the signature a proof of possession over a fresh challenge (GSMA CLP.13
 * 6.8, 6.20). The attribute is a UTF8String (RFC 2985 §5.4.1 allows it), because base64url nonces contain
 * '_', which PrintableString lacks.
 */
public final class CsrBuilder {

    private CsrBuilder() {
    }

    /** The CSR for {@code key} answering {@code nonce}. The subject is ignored by the CA. */
    public static PKCS10CertificationRequest build(SoftwareKey key, String nonce) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=simanchor-device"),
                    key.keyPair().getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERUTF8String(nonce))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.keyPair().getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("CSR signing failed", e);
        }
    }

    /** PEM text of a CSR. */
    public static String pem(PKCS10CertificationRequest csr) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
