package io.simanchor.agent.attest;

import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * ES256 signature encoding. JCA and PKCS#11 ECDSA signatures are DER {@code SEQUENCE {r, s}}; JWS wants
 * the two integers as fixed 32-byte big-endian values, concatenated (RFC 7518 §3.4).
 */
public final class Es256 {

    private static final int COORDINATE_BYTES = 32;

    private Es256() {
    }

    /** The JWS form of a DER ECDSA P-256 signature. */
    public static byte[] fromDer(byte[] der) {
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a DER ECDSA signature", e);
        }
        if (sequence.size() != 2) {
            throw new IllegalArgumentException("not a DER ECDSA signature");
        }
        byte[] raw = new byte[2 * COORDINATE_BYTES];
        copy(ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue(), raw, 0);
        copy(ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue(), raw, COORDINATE_BYTES);
        return raw;
    }

    private static void copy(BigInteger value, byte[] target, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > COORDINATE_BYTES ? bytes.length - COORDINATE_BYTES : 0;
        int length = bytes.length - start;
        if (length > COORDINATE_BYTES) {
            throw new IllegalArgumentException("ECDSA value larger than P-256 allows");
        }
        System.arraycopy(bytes, start, target, offset + COORDINATE_BYTES - length, length);
    }
}
