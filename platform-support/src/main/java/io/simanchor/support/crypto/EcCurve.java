package io.simanchor.support.crypto;

import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.teletrust.TeleTrusTObjectIdentifiers;

/**
 * The elliptic curves a SIM key may use: the two IoT SAFE supports (GSMA IoT SAFE, ECDSA with SHA-256).
 * Anything else is refused before any signature is checked.
 */
public enum EcCurve {

    /** NIST P-256, the curve of ES256 (RFC 7518 §3.4). */
    SECP256R1(SECObjectIdentifiers.secp256r1, "secp256r1", "P-256"),
    /** brainpoolP256r1 (RFC 5639). JOSE has no registered name; the platform uses {@code BP-256}. */
    BRAINPOOLP256R1(TeleTrusTObjectIdentifiers.brainpoolP256r1, "brainpoolP256r1", "BP-256");

    private final ASN1ObjectIdentifier oid;
    private final String standardName;
    private final String jwkName;

    EcCurve(ASN1ObjectIdentifier oid, String standardName, String jwkName) {
        this.oid = oid;
        this.standardName = standardName;
        this.jwkName = jwkName;
    }

    /** The curve's object identifier in SubjectPublicKeyInfo. */
    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** The curve's name for JCA ({@code ECGenParameterSpec}). */
    public String standardName() {
        return standardName;
    }

    /** The curve's JWK {@code crv} name. */
    public String jwkName() {
        return jwkName;
    }

    /** The supported curve with this OID, if any. */
    public static Optional<EcCurve> byOid(ASN1ObjectIdentifier oid) {
        return Arrays.stream(values()).filter(curve -> curve.oid.equals(oid)).findFirst();
    }
}
