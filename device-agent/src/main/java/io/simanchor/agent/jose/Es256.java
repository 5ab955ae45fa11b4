package io.simanchor.agent.jose;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * ES256 JWS for the device's own tokens (evidence, client assertions). JCA and PKCS#11 ECDSA signatures
 * are DER {@code SEQUENCE {r, s}}; JWS wants the two integers as fixed 32-byte big-endian values,
 * concatenated (RFC 7518 §3.4).
 */
public final class Es256 {

    private static final int COORDINATE_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Es256() {
    }

    /**
     * {@code header.claims} in JWS compact serialization (RFC 7515 §7.1), signed by {@code derSigner} (the
     * SIM or a software key; it returns a DER ECDSA P-256 signature of the bytes it is given).
     */
    public static String compact(Object header, Object claims, UnaryOperator<byte[]> derSigner) {
        String signingInput = signingInput(header, claims);
        return withSignature(signingInput, derSigner.apply(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The same, signed asynchronously (by the SIM). */
    public static CompletionStage<String> compactAsync(Object header, Object claims, DerSigner derSigner) {
        String signingInput = signingInput(header, claims);
        return derSigner.sign(signingInput.getBytes(StandardCharsets.US_ASCII))
                .thenApply(der -> withSignature(signingInput, der));
    }

    private static String signingInput(Object header, Object claims) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JWS header or claims not serialisable", e);
        }
    }

    private static String withSignature(String signingInput, byte[] der) {
        return signingInput + "." + BASE64URL.encodeToString(fromDer(der));
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
