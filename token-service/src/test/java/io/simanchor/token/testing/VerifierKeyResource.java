package io.simanchor.token.testing;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * Stands in for attestation-service's published EAR key: a P-256 key made per test run, given to the
 * service as its inline verifier JWKS, so tests can sign the EARs devices present.
 */
public final class VerifierKeyResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEY_ID = "test-verifier";
    public static final KeyPair KEY = TestJws.p256();

    @Override
    public Map<String, String> start() {
        EcPublicKey.Jwk jwk = EcPublicKey.of(KEY.getPublic()).toJwk();
        String jwks = TestJws.json(Map.of("keys", List.of(Map.of("kty", jwk.kty(), "crv", jwk.crv(), "x", jwk.x(),
                "y", jwk.y(), "kid", KEY_ID, "use", "sig", "alg", "ES256"))));
        return Map.of("simanchor.token.ear.verifier-jwks", jwks);
    }

    @Override
    public void stop() {
    }
}
