package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Wycheproof ECDSA vectors (src/test/resources/wycheproof, unchanged from C2SP/wycheproof) through
 * the platform's verification seam, with every provider the build supports: each {@code valid} vector
 * verifies and each {@code invalid} one does not; {@code acceptable} may go either way.
 */
class WycheproofEcdsaTest {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * The providers the seam can choose. SunEC is not one of them: on Java 17.0.15 it rejects two valid
     * P-256 vectors (tcId 350 and 479 of the DER file, "k*G has a large x-coordinate" and "r = 3, x = n + 3",
     * the x mod n reduction case), besides being 20-30x slower (reference/performance-anchors.md).
     */
    static Stream<Arguments> providers() {
        List<Arguments> providers = new ArrayList<>();
        providers.add(Arguments.of("BouncyCastle", CryptoProviders.bouncyCastle()));
        if (CryptoProviders.correttoAvailable()) {
            providers.add(Arguments.of("AmazonCorrettoCryptoProvider", CryptoProviders.p256()));
        }
        return providers.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void p256_der_signatures_get_the_expected_verdict(String name, Provider provider) throws IOException {
        assertVectors("ecdsa_secp256r1_sha256_test.json", provider, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void p256_p1363_signatures_get_the_expected_verdict(String name, Provider provider) throws IOException {
        assertVectors("ecdsa_secp256r1_sha256_p1363_test.json", provider, true);
    }

    /** Brainpool runs on Bouncy Castle only ({@link CryptoProviders#forCurve}). */
    @Test
    void brainpool_p1363_signatures_get_the_expected_verdict() throws IOException {
        assertVectors("ecdsa_brainpoolP256r1_sha256_p1363_test.json", CryptoProviders.bouncyCastle(), true);
    }

    @Test
    void the_seam_uses_corretto_for_p256_where_it_loads_and_bouncy_castle_for_brainpool() {
        assertThat(CryptoProviders.forCurve(EcCurve.BRAINPOOLP256R1)).isSameAs(CryptoProviders.bouncyCastle());
        assertThat(CryptoProviders.p256().getName())
                .isEqualTo(CryptoProviders.correttoAvailable() ? "AmazonCorrettoCryptoProvider" : "BC");
    }

    private static void assertVectors(String file, Provider provider, boolean p1363) throws IOException {
        JsonNode vectors;
        try (InputStream in = WycheproofEcdsaTest.class.getResourceAsStream("/wycheproof/" + file)) {
            vectors = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : vectors.get("testGroups")) {
            EcPublicKey key;
            try {
                key = EcPublicKey.fromSpki(HEX.parseHex(group.get("publicKeyDer").asText()));
            } catch (CryptoInputException e) {
                // A key the platform refuses cannot verify anything: every vector of it must be non-valid.
                for (JsonNode test : group.get("tests")) {
                    if (test.get("result").asText().equals("valid")) {
                        wrong.add("tcId " + test.get("tcId") + ": key refused (" + e.reason() + ")");
                    }
                }
                continue;
            }
            for (JsonNode test : group.get("tests")) {
                byte[] message = HEX.parseHex(test.get("msg").asText());
                byte[] signature = HEX.parseHex(test.get("sig").asText());
                boolean verified = p1363
                        ? EcdsaVerifier.verifyP1363(key, message, signature, provider)
                        : EcdsaVerifier.verifyDer(key, message, signature, provider);
                String expected = test.get("result").asText();
                if (expected.equals("valid") && !verified || expected.equals("invalid") && verified) {
                    wrong.add("tcId " + test.get("tcId") + " (" + test.get("comment").asText() + "): expected "
                            + expected + ", verified=" + verified);
                }
                checked++;
            }
        }
        assertThat(checked).as("vectors checked").isGreaterThan(100);
        assertThat(wrong).as("vectors with the wrong verdict on " + provider.getName()).isEmpty();
    }
}
