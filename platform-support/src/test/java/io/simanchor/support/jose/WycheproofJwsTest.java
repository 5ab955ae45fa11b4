package io.simanchor.support.jose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;

import io.simanchor.support.crypto.EcPublicKey;

/**
 * The ES256 groups of Wycheproof's json_web_signature_test.json (test resources, unchanged from
 * C2SP/wycheproof) through the JWS steps every SIM Anchor verifier takes, in their order: {@link StrictJws}
 * parsing, {@link Es256Jws} header rules, signature. attestation-service's evidence check and
 * token-service's client-assertion and EAR checks are exactly these calls followed by their own claim
 * rules, so a {@code valid} JWS passes here and every {@code invalid} one is refused at some step. The
 * token profiles (typ, claims) are left out on purpose: these payloads are not EATs or assertions.
 */
class WycheproofJwsTest {

    @Test
    void every_es256_vector_gets_the_expected_verdict() throws Exception {
        JsonNode vectors;
        try (InputStream in = WycheproofJwsTest.class.getResourceAsStream("/wycheproof/json_web_signature_test.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : vectors.get("testGroups")) {
            JsonNode jwk = group.get("public");
            if (jwk == null || !"ES256".equals(jwk.path("alg").asText())) {
                continue;
            }
            EcPublicKey key = EcPublicKey.of(ECKey.parse(jwk.toString()).toECPublicKey());
            for (JsonNode test : group.get("tests")) {
                if (!test.get("jws").isTextual()) {
                    continue; // JSON serialisation: only the compact form is accepted anywhere
                }
                boolean accepted = accepts(key, test.get("jws").asText());
                String expected = test.get("result").asText();
                if (expected.equals("valid") != accepted && !expected.equals("acceptable")) {
                    wrong.add("tcId " + test.get("tcId") + " (" + test.get("comment").asText() + "): expected "
                            + expected + ", accepted=" + accepted);
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(39);
    }

    private static boolean accepts(EcPublicKey key, String compact) {
        try {
            StrictJws jws = StrictJws.parse(compact, 16 * 1024);
            return Es256Jws.headerViolation(jws.header()).isEmpty()
                    && Es256Jws.verifies(key, jws.signingInput(), jws.signature());
        } catch (MalformedJwsException e) {
            return false;
        }
    }
}
