package io.simanchor.support.jose;

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

/**
 * A JWS in compact serialization (RFC 7515 §7.1), split and decoded strictly but not verified: three
 * unpadded base64url parts in their one canonical spelling, header and payload JSON objects without
 * duplicate members (RFC 7515 §4 and RFC 7519 §4 let a recipient reject them or keep the last; keeping
 * the last lets two parsers disagree about what was signed), nesting at most 16 deep, no type coercion (a
 * string {@code "iat"} is not a number).
 *
 * <p>
 * Parsing is done here rather than through a JOSE library because the libraries are deliberately lenient
 * about exactly these points (duplicate members, padding, coercion), and every refusal needs its own
 * reason; signatures go through {@link Es256Jws} and the platform's one Wycheproof-tested ECDSA seam.
 *
 * @param header the protected header
 * @param payload the decoded payload
 * @param signingInput ASCII of {@code header.payload} as sent (RFC 7515 §5.2 step 8)
 * @param signature the decoded signature
 */
public record StrictJws(JwsHeader header, byte[] payload, byte[] signingInput, byte[] signature) {

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
            .constructMapType(Map.class, String.class, Object.class);

    /**
     * Splits and decodes {@code compact}, refusing anything longer than {@code maxLength} characters before
     * decoding it; throws {@link MalformedJwsException}.
     */
    public static StrictJws parse(String compact, int maxLength) {
        if (compact == null || compact.length() > maxLength) {
            throw new MalformedJwsException("token is missing or longer than " + maxLength + " characters");
        }
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new MalformedJwsException("not a JWS in compact serialization (three parts)");
        }
        Map<String, Object> header = readJson(decode(compact.substring(0, first), "header"), "header", OBJECT);
        return new StrictJws(
                new JwsHeader(text(header.get("alg")), text(header.get("typ")), text(header.get("kid")),
                        new LinkedHashSet<>(header.keySet())),
                decode(compact.substring(first + 1, second), "payload"),
                compact.substring(0, second).getBytes(StandardCharsets.US_ASCII),
                decode(compact.substring(second + 1), "signature"));
    }

    /**
     * Splits and decodes a JWS with a detached payload (RFC 7515 Appendix F, {@code header..signature}) for
     * {@code payload}, which travelled beside it; throws {@link MalformedJwsException}. The signing input is
     * rebuilt from the payload's bytes, so any change to them fails verification.
     */
    public static StrictJws parseDetached(String detached, byte[] payload, int maxLength) {
        if (detached == null || detached.length() > maxLength) {
            throw new MalformedJwsException("signature is missing or longer than " + maxLength + " characters");
        }
        int first = detached.indexOf('.');
        if (first < 0 || !detached.startsWith("..", first) || detached.indexOf('.', first + 2) >= 0) {
            throw new MalformedJwsException("not a JWS with a detached payload (header..signature)");
        }
        String encodedHeader = detached.substring(0, first);
        Map<String, Object> header = readJson(decode(encodedHeader, "header"), "header", OBJECT);
        String signingInput = encodedHeader + '.' + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
        return new StrictJws(
                new JwsHeader(text(header.get("alg")), text(header.get("typ")), text(header.get("kid")),
                        new LinkedHashSet<>(header.keySet())),
                payload.clone(), signingInput.getBytes(StandardCharsets.US_ASCII),
                decode(detached.substring(first + 2), "signature"));
    }

    /** The payload as {@code type}, read with the same strict rules as the header. */
    public <T> T payloadAs(Class<T> type) {
        return readJson(payload, "claims", JSON.constructType(type));
    }

    /** The payload as a JSON object of names to plain Java values (maps, lists, strings, numbers, booleans). */
    public Map<String, Object> payloadObject() {
        return readJson(payload, "claims", OBJECT);
    }

    private static String text(Object value) {
        return value instanceof String string ? string : null;
    }

    private static byte[] decode(String part, String what) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(part);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
                throw new MalformedJwsException(what + " is not canonical unpadded base64url");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new MalformedJwsException(what + " is not base64url");
        }
    }

    private static <T> T readJson(byte[] bytes, String what, JavaType type) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedJwsException(what + " is not a JSON object");
            }
            T value = JSON.readValue(parser, type);
            if (parser.nextToken() != null) {
                throw new MalformedJwsException(what + " has content after the JSON object");
            }
            return value;
        } catch (IOException e) {
            throw new MalformedJwsException(what + " is not valid JSON: " + reasonOf(e));
        }
    }

    /** Jackson's message without the input it quotes (the input is the sender's, not ours to echo). */
    private static String reasonOf(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = message.indexOf('\n');
        String line = at < 0 ? message : message.substring(0, at);
        int quote = line.indexOf(" (");
        return (quote < 0 ? line : line.substring(0, quote)).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
