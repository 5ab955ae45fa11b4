package io.simanchor.support.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * ECDSA with SHA-256 verification, the seam every signature check of the platform goes through (CSRs,
 * endorsements, key-rotation proofs, and later JWS). Before the provider sees a signature, its encoding
 * is checked strictly: DER with exactly two positive, minimally encoded integers and nothing after them,
 * or exactly 64 bytes for the IEEE P1363 form of JWS (RFC 7518 §3.4); r and s in [1, n-1]. The
 * Wycheproof ECDSA vectors run through this class for every provider the build supports.
 */
public final class EcdsaVerifier {

    private static final String ALGORITHM = "SHA256withECDSA";

    private EcdsaVerifier() {
    }

    /** Verifies a DER-encoded signature (X.509, PKCS#10, CMS) over {@code message}. */
    public static boolean verifyDer(EcPublicKey key, byte[] message, byte[] derSignature) {
        return verifyDer(key, message, derSignature, CryptoProviders.forCurve(key.curve()));
    }

    /** Verifies a raw r‖s signature (JWS ES256 form, 64 bytes) over {@code message}. */
    public static boolean verifyP1363(EcPublicKey key, byte[] message, byte[] rawSignature) {
        return verifyP1363(key, message, rawSignature, CryptoProviders.forCurve(key.curve()));
    }

    /** {@link #verifyDer} on an explicit provider, so tests hold every provider to the same vectors. */
    static boolean verifyDer(EcPublicKey key, byte[] message, byte[] derSignature, Provider provider) {
        BigInteger[] rs = decodeDer(derSignature);
        return rs != null && inRange(key, rs) && providerVerifies(key, message, derSignature, provider);
    }

    /** {@link #verifyP1363} on an explicit provider. */
    static boolean verifyP1363(EcPublicKey key, byte[] message, byte[] rawSignature, Provider provider) {
        if (rawSignature == null || rawSignature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(rawSignature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rawSignature, 32, 64));
        if (!inRange(key, new BigInteger[]{r, s})) {
            return false;
        }
        try {
            byte[] der = new DERSequence(new ASN1Integer[]{new ASN1Integer(r), new ASN1Integer(s)})
                    .getEncoded(ASN1Encoding.DER);
            return providerVerifies(key, message, der, provider);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean providerVerifies(EcPublicKey key, byte[] message, byte[] derSignature, Provider provider) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM, provider);
            verifier.initVerify(key.jcaKey());
            verifier.update(message);
            return verifier.verify(derSignature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A provider that throws on a malformed signature has refused it.
            return false;
        }
    }

    private static BigInteger[] decodeDer(byte[] derSignature) {
        if (derSignature == null || derSignature.length > 72) {
            return null;
        }
        ASN1Primitive primitive;
        try {
            primitive = StrictDer.parse(derSignature);
        } catch (CryptoInputException e) {
            return null;
        }
        if (!(primitive instanceof ASN1Sequence sequence) || sequence.size() != 2
                || !(sequence.getObjectAt(0) instanceof ASN1Integer r)
                || !(sequence.getObjectAt(1) instanceof ASN1Integer s)) {
            return null;
        }
        return new BigInteger[]{r.getValue(), s.getValue()};
    }

    private static boolean inRange(EcPublicKey key, BigInteger[] rs) {
        BigInteger n = ECNamedCurveTable.getByOID(key.curve().oid()).getN();
        for (BigInteger value : rs) {
            if (value.signum() <= 0 || value.compareTo(n) >= 0) {
                return false;
            }
        }
        return true;
    }
}
