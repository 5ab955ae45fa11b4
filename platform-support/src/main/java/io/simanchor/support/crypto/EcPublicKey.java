package io.simanchor.support.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

import io.simanchor.support.crypto.CryptoInputException.Reason;

/**
 * A validated EC public key on one of the {@link EcCurve}s. Built only through {@link #fromSpki} or
 * {@link #of}, which refuse explicit curve parameters, unsupported curves and points off the curve
 * (the invalid-curve attack), so holding one means the key is safe to verify with.
 */
public final class EcPublicKey {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final EcCurve curve;
    private final ECPublicKey jcaKey;
    private final byte[] spki;
    /** Computed on first use; a benign race like String's hash: every thread computes the same value. */
    private String thumbprint;

    private EcPublicKey(EcCurve curve, ECPublicKey jcaKey, byte[] spki) {
        this.curve = curve;
        this.jcaKey = jcaKey;
        this.spki = spki;
    }

    /** Decodes a DER SubjectPublicKeyInfo (RFC 5480) strictly: no trailing bytes, named curve only. */
    public static EcPublicKey fromSpki(byte[] der) {
        ASN1Primitive parsed = StrictDer.parse(der);
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(parsed);
        } catch (RuntimeException e) {
            throw new CryptoInputException(Reason.DER_MALFORMED, "The public key is not a SubjectPublicKeyInfo");
        }
        AlgorithmIdentifier algorithm = info.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new CryptoInputException(Reason.KEY_TYPE_UNSUPPORTED, "Only EC keys are accepted");
        }
        // RFC 5480 §2.1.1: only namedCurve; explicit parameters would let a client choose the curve.
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curveOid)) {
            throw new CryptoInputException(Reason.CURVE_UNSUPPORTED, "The key must name its curve");
        }
        EcCurve curve = EcCurve.byOid(curveOid)
                .orElseThrow(() -> new CryptoInputException(
                        Reason.CURVE_UNSUPPORTED, "Only secp256r1 and brainpoolP256r1 keys are accepted"));
        return fromPoint(curve, info.getPublicKeyData().getOctets());
    }

    /** Wraps a JCA key (for example one read from a keystore), validating it like {@link #fromSpki}. */
    public static EcPublicKey of(PublicKey key) {
        return fromSpki(key.getEncoded());
    }

    /**
     * Decodes an EC public JWK (RFC 7518 §6.2.1): a known curve, both coordinates exactly the field size
     * in canonical base64url, and a point on the curve.
     */
    public static EcPublicKey fromJwk(Jwk jwk) {
        if (jwk == null || !"EC".equals(jwk.kty())) {
            throw new CryptoInputException(Reason.KEY_TYPE_UNSUPPORTED, "Only EC keys are accepted");
        }
        EcCurve curve = Arrays.stream(EcCurve.values())
                .filter(candidate -> candidate.jwkName().equals(jwk.crv()))
                .findFirst()
                .orElseThrow(() -> new CryptoInputException(Reason.CURVE_UNSUPPORTED, "Unsupported curve"));
        byte[] x = coordinateBytes(jwk.x());
        byte[] y = coordinateBytes(jwk.y());
        byte[] uncompressed = new byte[65];
        uncompressed[0] = 0x04;
        System.arraycopy(x, 0, uncompressed, 1, 32);
        System.arraycopy(y, 0, uncompressed, 33, 32);
        return fromPoint(curve, uncompressed);
    }

    private static byte[] coordinateBytes(String base64url) {
        byte[] bytes;
        try {
            bytes = base64url == null ? new byte[0] : Base64.getUrlDecoder().decode(base64url);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        // RFC 7518 §6.2.1.2: the full coordinate size, so that a key has exactly one JWK form.
        if (bytes.length != 32 || !BASE64URL.encodeToString(bytes).equals(base64url)) {
            throw new CryptoInputException(Reason.INVALID_CURVE_POINT, "A coordinate is not 32 bytes of base64url");
        }
        return bytes;
    }

    private static EcPublicKey fromPoint(EcCurve curve, byte[] encodedPoint) {
        X9ECParameters parameters = ECNamedCurveTable.getByOID(curve.oid());
        ECPoint point;
        try {
            point = parameters.getCurve().decodePoint(encodedPoint).normalize();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CryptoInputException(Reason.INVALID_CURVE_POINT, "The public key is not a point on its curve");
        }
        if (point.isInfinity() || !point.isValid()) {
            throw new CryptoInputException(Reason.INVALID_CURVE_POINT, "The public key is not a point on its curve");
        }
        try {
            // Re-encoded uncompressed, so every provider accepts it and equal keys have equal bytes.
            byte[] spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.oid()),
                    point.getEncoded(false)).getEncoded(ASN1Encoding.DER);
            KeyFactory factory = KeyFactory.getInstance("EC", CryptoProviders.forCurve(curve));
            ECPublicKey jcaKey = (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(spki));
            return new EcPublicKey(curve, jcaKey, spki);
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoInputException(Reason.INVALID_CURVE_POINT, "The public key cannot be used");
        }
    }

    /** The key's curve. */
    public EcCurve curve() {
        return curve;
    }

    /** The key for JCA signature objects of {@link CryptoProviders#forCurve}. */
    public ECPublicKey jcaKey() {
        return jcaKey;
    }

    /** DER SubjectPublicKeyInfo, uncompressed point: the canonical bytes of this key. */
    public byte[] spki() {
        return spki.clone();
    }

    /** The JWK members of this key (RFC 7518 §6.2.1), coordinates padded to the field size. */
    public Jwk toJwk() {
        return new Jwk("EC", curve.jwkName(), BASE64URL.encodeToString(coordinate(jcaKey.getW().getAffineX())),
                BASE64URL.encodeToString(coordinate(jcaKey.getW().getAffineY())));
    }

    /**
     * The RFC 7638 JWK thumbprint, base64url SHA-256 over the required members in lexicographic order
     * with no white space (§3.2). The platform's stable name for a device key.
     */
    public String thumbprint() {
        String known = thumbprint;
        if (known == null) {
            known = computeThumbprint();
            thumbprint = known;
        }
        return known;
    }

    private String computeThumbprint() {
        Jwk jwk = toJwk();
        String canonical = "{\"crv\":\"" + jwk.crv() + "\",\"kty\":\"EC\",\"x\":\"" + jwk.x() + "\",\"y\":\""
                + jwk.y() + "\"}";
        return BASE64URL.encodeToString(Sha256.of(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == 32) {
            return bytes;
        }
        byte[] padded = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, padded, 32 - length, length);
        return padded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EcPublicKey that && Arrays.equals(spki, that.spki);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spki);
    }

    @Override
    public String toString() {
        return "EcPublicKey[" + curve + ", " + thumbprint() + "]";
    }

    /**
     * An EC public JWK's members.
     *
     * @param kty always {@code EC}
     * @param crv curve name, see {@link EcCurve#jwkName()}
     * @param x base64url x coordinate
     * @param y base64url y coordinate
     */
    public record Jwk(String kty, String crv, String x, String y) {
    }
}
