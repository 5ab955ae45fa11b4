package io.simanchor.support.crypto;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;

import io.simanchor.support.crypto.CryptoInputException.Reason;

/**
 * Strict DER: one object, canonical encoding, nothing after it. Parsers that accept BER or trailing
 * bytes let an attacker vary the bytes of a signed object without changing its meaning.
 */
final class StrictDer {

    private StrictDer() {
    }

    /** Parses {@code der}; re-encoding the result must give exactly the input. */
    static ASN1Primitive parse(byte[] der) {
        ASN1Primitive primitive;
        byte[] canonical;
        try {
            primitive = ASN1Primitive.fromByteArray(der);
            canonical = primitive == null ? null : primitive.getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw new CryptoInputException(Reason.DER_MALFORMED, "The input is not valid DER");
        }
        if (canonical == null || !Arrays.equals(canonical, der)) {
            throw new CryptoInputException(Reason.DER_MALFORMED, "The input is not canonical DER");
        }
        return primitive;
    }
}
