package io.simanchor.attestation.infra.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.simanchor.attestation.domain.SignedEvidence;
import io.simanchor.support.jose.MalformedJwsException;

class CompactEvidenceReaderTest {

    private static final String HEADER = "{\"alg\":\"ES256\",\"typ\":\"eat+jwt\"}";
    private static final String CLAIMS = "{\"eat_nonce\":\"n0nce-n0nce\",\"ueid\":\"AQt8Sl4vHUxTmo5tKx8OSnE\","
            + "\"iat\":1795424400,\"hwmodel\":\"tracker-x1\",\"dbgstat\":3,\"oemboot\":true,"
            + "\"measurements\":[{\"component\":\"boot\",\"alg\":\"sha-256\",\"digest\":\"abc\"}],"
            + "\"future_claim\":{\"ignored\":true}}";
    private static final String SIGNATURE = b64(new byte[64]);

    @Test
    void reads_header_claims_signing_input_and_signature_and_ignores_unknown_claims() {
        String compact = b64(HEADER) + "." + b64(CLAIMS) + "." + SIGNATURE;

        SignedEvidence evidence = CompactEvidenceReader.read(compact);

        assertThat(evidence.header().alg()).isEqualTo("ES256");
        assertThat(evidence.header().typ()).isEqualTo("eat+jwt");
        assertThat(evidence.header().parameterNames()).containsExactlyInAnyOrder("alg", "typ");
        assertThat(evidence.claims().iat()).isEqualTo(1_795_424_400L);
        assertThat(evidence.claims().measurements()).singleElement()
                .satisfies(m -> assertThat(m.component()).isEqualTo("boot"));
        assertThat(new String(evidence.signingInput(), StandardCharsets.US_ASCII))
                .isEqualTo(compact.substring(0, compact.lastIndexOf('.')));
        assertThat(evidence.signature()).hasSize(64);
    }

    @Test
    void duplicate_header_parameters_or_claims_are_refused() {
        assertMalformed(b64("{\"alg\":\"ES256\",\"alg\":\"none\",\"typ\":\"eat+jwt\"}") + "." + b64(CLAIMS) + "."
                + SIGNATURE, "Duplicate field");
        assertMalformed(b64(HEADER) + "." + b64("{\"iat\":1,\"iat\":2}") + "." + SIGNATURE, "Duplicate field");
    }

    @Test
    void claims_of_the_wrong_json_type_are_refused_not_coerced() {
        assertMalformed(b64(HEADER) + "." + b64("{\"iat\":\"1795424400\"}") + "." + SIGNATURE, "claims");
        assertMalformed(b64(HEADER) + "." + b64("{\"oemboot\":\"true\"}") + "." + SIGNATURE, "claims");
        assertMalformed(b64(HEADER) + "." + b64("{\"dbgstat\":3.5}") + "." + SIGNATURE, "claims");
    }

    @Test
    void payloads_that_are_not_one_json_object_are_refused() {
        assertMalformed(b64(HEADER) + "." + b64("foo") + "." + SIGNATURE, "claims");
        assertMalformed(b64(HEADER) + "." + b64("[1,2]") + "." + SIGNATURE, "claims is not a JSON object");
        assertMalformed(b64(HEADER) + "." + b64("{} {}") + "." + SIGNATURE, "claims");
        assertMalformed(b64(HEADER) + "." + b64("") + "." + SIGNATURE, "claims");
    }

    @Test
    void deeply_nested_json_is_refused_early() {
        String deep = "{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";

        assertMalformed(b64(HEADER) + "." + b64(deep) + "." + SIGNATURE, "claims is not valid JSON");
    }

    @Test
    void anything_but_three_canonical_base64url_parts_is_refused() {
        String payload = b64(CLAIMS);
        assertMalformed(b64(HEADER) + "." + payload, "three parts");
        assertMalformed(b64(HEADER) + "." + payload + "." + SIGNATURE + ".x", "three parts");
        assertMalformed(Base64.getUrlEncoder().encodeToString(HEADER.getBytes()) + "." + payload + "." + SIGNATURE,
                "header");
        assertMalformed(b64(HEADER) + "." + payload.replace('-', '+') + "x." + SIGNATURE, "payload");
        assertMalformed(b64(HEADER) + "." + payload + "." + SIGNATURE + "=", "signature");
        assertMalformed(" " + b64(HEADER) + "." + payload + "." + SIGNATURE, "header");
        assertMalformed("", "three parts");
        assertMalformed(null, "missing");
    }

    @Test
    void oversized_evidence_is_refused_before_decoding() {
        String huge = b64(HEADER) + "." + "A".repeat(CompactEvidenceReader.MAX_LENGTH) + "." + SIGNATURE;

        assertMalformed(huge, "longer than");
    }

    @Test
    void the_reason_does_not_echo_the_input() {
        String claims = "{\"iat\":\"<script>alert(1)</script>\"}";

        assertThatThrownBy(() -> CompactEvidenceReader.read(b64(HEADER) + "." + b64(claims) + "." + SIGNATURE))
                .isInstanceOf(MalformedJwsException.class)
                .message()
                .doesNotContain("<script>");
    }

    private static void assertMalformed(String compact, String reason) {
        assertThatThrownBy(() -> CompactEvidenceReader.read(compact))
                .isInstanceOf(MalformedJwsException.class)
                .hasMessageContaining(reason);
    }

    private static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
