package io.simanchor.attestation.infra.jose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.attestation.domain.EvidenceHeader;
import io.simanchor.attestation.domain.SignedEvidence;

/**
 * Reads evidence in JWS compact serialization (RFC 7515 §7.1) into {@link SignedEvidence}, strictly: three
 * unpadded base64url parts in their one canonical spelling, header and claims as JSON objects without
 * duplicate members (RFC 7515 §4 and RFC 7519 §4 let a recipient reject them or keep the last; keeping
 * the last lets two parsers disagree about what was signed), nesting at most 16 deep, no type coercion (a
 * string {@code "iat"} is not a number). Nothing is trusted here; the signature is checked by the domain against the enrolled key.
 *
 * <p>
 * Parsing is done here rather than through a JOSE library because the libraries are deliberately lenient
 * about exactly these points (duplicate members, padding, coercion), and every refusal needs its own
 * reason code; the signature itself goes through the platform's one Wycheproof-tested ECDSA seam.
 */
public final class CompactEvidenceReader {

    /** Evidence larger than this is refused before it is decoded; the HTTP limit is the same. */
    public static final int MAX_LENGTH = 16 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder(
            JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();
    private static final JavaType OBJECT = JSON.getTypeFactory()
            .constructMapType(Map.class, String.class,
                    Object.class);
    private static final JavaType CLAIMS = JSON.constructType(EatEvidenceV1.class);

    private CompactEvidenceReader() {
    }

    /** The evidence in {@code compact}, or {@link MalformedEvidenceException} saying what is wrong. */
    public static SignedEvidence read(String compact) {
        CompactJws jws = CompactJws.parse(compact);
        return new SignedEvidence(jws.header(), json(jws.payload(), "claims", CLAIMS),
                jws.signingInput(), jws.signature());
    }

    /**
     * A JWS in compact serialization, split and decoded but not verified.
     *
     * @param header the protected header
     * @param payload the decoded payload
     * @param signingInput ASCII of {@code header.payload} as sent (RFC 7515 §5.2 step 8)
     * @param signature the decoded signature
     */
    public record CompactJws(EvidenceHeader header, byte[] payload, byte[] signingInput, byte[] signature) {

        /** Splits and decodes {@code compact}, strictly; throws {@link MalformedEvidenceException}. */
        public static CompactJws parse(String compact) {
            if (compact == null || compact.length() > MAX_LENGTH) {
                throw new MalformedEvidenceException(
                        "evidence is missing or longer than " + MAX_LENGTH + " characters");
            }
            int first = compact.indexOf('.');
            int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
            if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
                throw new MalformedEvidenceException("not a JWS in compact serialization (three parts)");
            }
            Map<String, Object> header = json(decode(compact.substring(0, first), "header"), "header", OBJECT);
            return new CompactJws(
                    new EvidenceHeader(text(header.get("alg")), text(header.get("typ")),
                            new LinkedHashSet<>(header.keySet())),
                    decode(compact.substring(first + 1, second), "payload"),
                    compact.substring(0, second).getBytes(StandardCharsets.US_ASCII),
                    decode(compact.substring(second + 1), "signature"));
        }
    }

    private static String text(Object value) {
        return value instanceof String string ? string : null;
    }

    private static byte[] decode(String part, String what) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(part);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
                throw new MalformedEvidenceException(what + " is not canonical unpadded base64url");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new MalformedEvidenceException(what + " is not base64url");
        }
    }

    private static <T> T json(byte[] bytes, String what, JavaType type) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEvidenceException(what + " is not a JSON object");
            }
            T value = JSON.readValue(parser, type);
            if (parser.nextToken() != null) {
                throw new MalformedEvidenceException(what + " has content after the JSON object");
            }
            return value;
        } catch (IOException e) {
            throw new MalformedEvidenceException(what + " is not valid JSON: " + reasonOf(e));
        }
    }

    /** Jackson's message without the input it quotes (the input is the attacker's, not ours to echo). */
    private static String reasonOf(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = message.indexOf('\n');
        String line = at < 0 ? message : message.substring(0, at);
        int quote = line.indexOf(" (");
        return (quote < 0 ? line : line.substring(0, quote)).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
