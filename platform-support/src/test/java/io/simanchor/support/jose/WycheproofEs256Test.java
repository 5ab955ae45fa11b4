package io.simanchor.support.jose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.crypto.EcPublicKey;

/**
 * Every vector of Wycheproof's {@code ecdsa_secp256r1_sha256_p1363_test.json} through
 * {@link Es256Jws#verifies} (ES256's R || S form), the one signature check behind attestation-service's
 * evidence and token-service's client assertions and EARs: valid ones verify, invalid ones do not,
 * acceptable ones may go either way but never throw.
 */
class WycheproofEs256Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void every_p1363_vector_gets_the_expected_verdict() throws IOException {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : vectors.get("testGroups")) {
            EcPublicKey key = EcPublicKey.fromSpki(HEX.parseHex(group.get("publicKeyDer").asText()));
            for (JsonNode test : group.get("tests")) {
                boolean verified = Es256Jws.verifies(key, HEX.parseHex(test.get("msg").asText()),
                        HEX.parseHex(test.get("sig").asText()));
                String result = test.get("result").asText();
                if (("valid".equals(result) && !verified) || ("invalid".equals(result) && verified)) {
                    wrong.add("tcId " + test.get("tcId").asInt() + " (" + result + ")");
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(vectors.get("numberOfTests").asInt());
    }
}
