package io.simanchor.attestation.infra.jose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;

import io.simanchor.attestation.domain.Es256Signature;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * The ES256 groups of Wycheproof's json_web_signature_test.json (platform-support's test resources,
 * unchanged from C2SP/wycheproof) through the evidence reader and the evidence signature rules: a
 * {@code valid} JWS passes, every {@code invalid} one is refused at some step. The EAT profile (typ,
 * claims) is left out on purpose: these vectors are about the JWS layer, and their payloads are not EATs.
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
                    continue; // JSON serialisation: evidence is only accepted in compact form
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
            CompactEvidenceReader.CompactJws jws = CompactEvidenceReader.CompactJws.parse(compact);
            return Es256Signature.headerProblem(jws.header()).isEmpty()
                    && Es256Signature.verifies(key, jws.signingInput(), jws.signature());
        } catch (MalformedEvidenceException e) {
            return false;
        }
    }
}
