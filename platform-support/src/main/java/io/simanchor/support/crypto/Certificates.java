package io.simanchor.support.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The pieces every service's own key material is made of (the device CA, the MUD signer, the EAR signing
 * key's carrier certificate): P-256 key pairs and certificates signed with ECDSA/SHA-256 through the crypto
 * seam's provider, on Bouncy Castle's builder.
 */
public final class Certificates {

    /** Back-dating of {@code notBefore}, so a verifier whose clock is a little behind accepts a new certificate. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private Certificates() {
    }

    /** A new P-256 key pair from the provider of the hot path. */
    public static KeyPair newP256KeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProviders.p256());
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** {@code O=organization, CN=commonName}. */
    public static X500Name name(String organization, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    /**
     * A certificate builder with a random positive 127-bit serial (RFC 5280 §4.1.2.2: at most 20 octets) and
     * a validity of {@code validity} from now, back-dated by five minutes; the caller adds the extensions.
     */
    public static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey subjectKey,
            Instant now, Duration validity, SecureRandom random) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, subjectKey);
    }

    /** The certificate {@code builder} describes, signed ECDSA/SHA-256 by {@code issuerKey}. */
    public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProviders.p256())
                .setSecureRandom(random)
                .build(issuerKey);
        return new JcaX509CertificateConverter().setProvider(CryptoProviders.bouncyCastle())
                .getCertificate(builder.build(signer));
    }

    /** {@code certificate} as one PEM block. */
    public static String pem(X509Certificate certificate) {
        try {
            return PemCodec.encode(PemCodec.CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }
}
