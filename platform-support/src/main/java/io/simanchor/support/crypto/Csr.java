package io.simanchor.support.crypto;

import java.io.IOException;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import io.simanchor.support.crypto.CryptoInputException.Reason;

/**
 * A decoded PKCS#10 certification request (RFC 2986) with an EC key on a supported curve. Decoding
 * checks structure only; {@link #hasValidSignature()} checks the proof of possession.
 */
public final class Csr {

    private final byte[] der;
    private final X500Name subject;
    private final EcPublicKey publicKey;
    private final Optional<String> challengePassword;
    private final byte[] signedContent;
    private final byte[] signature;

    private Csr(byte[] der, X500Name subject, EcPublicKey publicKey, Optional<String> challengePassword,
            byte[] signedContent,
            byte[] signature) {
        this.der = der;
        this.subject = subject;
        this.publicKey = publicKey;
        this.challengePassword = challengePassword;
        this.signedContent = signedContent;
        this.signature = signature;
    }

    /** Decodes a PEM {@code CERTIFICATE REQUEST}. */
    public static Csr fromPem(String pem) {
        return fromDer(PemCodec.decode(pem, PemCodec.CERTIFICATE_REQUEST));
    }

    /** Decodes DER strictly: trailing bytes or BER forms are refused. */
    public static Csr fromDer(byte[] der) {
        CertificationRequest request;
        try {
            request = CertificationRequest.getInstance(StrictDer.parse(der));
        } catch (CryptoInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CryptoInputException(Reason.DER_MALFORMED, "The input is not a PKCS#10 request");
        }
        // RFC 5758 §3.2: ecdsa-with-SHA256 has absent parameters.
        if (!X9ObjectIdentifiers.ecdsa_with_SHA256.equals(request.getSignatureAlgorithm().getAlgorithm())
                || request.getSignatureAlgorithm().getParameters() != null) {
            throw new CryptoInputException(Reason.SIGNATURE_ALGORITHM_UNSUPPORTED,
                    "The request must be signed with ECDSA and SHA-256");
        }
        try {
            EcPublicKey key = EcPublicKey
                    .fromSpki(request.getCertificationRequestInfo()
                            .getSubjectPublicKeyInfo()
                            .getEncoded(ASN1Encoding.DER));
            return new Csr(der.clone(), request.getCertificationRequestInfo().getSubject(), key,
                    challengePassword(request), request.getCertificationRequestInfo().getEncoded(ASN1Encoding.DER),
                    request.getSignature().getOctets());
        } catch (IOException | IllegalStateException e) {
            throw new CryptoInputException(Reason.DER_MALFORMED, "The input is not a PKCS#10 request");
        }
    }

    private static Optional<String> challengePassword(CertificationRequest request) {
        if (request.getCertificationRequestInfo().getAttributes() == null) {
            return Optional.empty();
        }
        for (ASN1Encodable element : request.getCertificationRequestInfo().getAttributes()) {
            Attribute attribute = Attribute.getInstance(element);
            // RFC 2985 §5.4.1: challengePassword is single-valued, a DirectoryString.
            if (PKCSObjectIdentifiers.pkcs_9_at_challengePassword.equals(attribute.getAttrType())) {
                if (attribute.getAttrValues().size() != 1
                        || !(attribute.getAttrValues().getObjectAt(0) instanceof ASN1String value)) {
                    throw new CryptoInputException(Reason.DER_MALFORMED,
                            "The challengePassword attribute is malformed");
                }
                return Optional.of(value.getString());
            }
        }
        return Optional.empty();
    }

    /** Whether the request is signed by the private key of {@link #publicKey()} (proof of possession). */
    public boolean hasValidSignature() {
        return EcdsaVerifier.verifyDer(publicKey, signedContent, signature);
    }

    /** The request as received, DER. */
    public byte[] der() {
        return der.clone();
    }

    /** The subject the requester asked for; the CA decides the certificate's subject itself. */
    public X500Name subject() {
        return subject;
    }

    /** The key to certify. */
    public EcPublicKey publicKey() {
        return publicKey;
    }

    /** The PKCS#9 challengePassword attribute, which carries the server nonce during enrollment. */
    public Optional<String> challengePassword() {
        return challengePassword;
    }
}
