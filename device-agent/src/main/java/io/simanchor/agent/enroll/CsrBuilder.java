package io.simanchor.agent.enroll;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.concurrent.CompletionStage;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.simanchor.agent.jose.DerSigner;

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

    /**
     * The CSR for {@code publicKey} answering {@code nonce}, signed by the SIM: the certification request
     * info is DER-encoded and signed as PKCS#10 says (RFC 2986 §4.2), without a JCA private key.
     */
    public static CompletionStage<PKCS10CertificationRequest> build(PublicKey publicKey, String nonce,
            DerSigner derSigner) {
        CertificationRequestInfo info = new CertificationRequestInfo(new X500Name("CN=simanchor-device"),
                SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()),
                new DERSet(new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        new DERSet(new DERUTF8String(nonce)))));
        byte[] toSign;
        try {
            toSign = info.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return derSigner.sign(toSign)
                .thenApply(signature -> new PKCS10CertificationRequest(new CertificationRequest(info,
                        new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), new DERBitString(signature))));
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
