package io.simanchor.token.testing;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.DeviceEvents;

/**
 * A simulated device for API tests: its SIM key, the client assertions it signs and the EARs the test
 * verifier ({@link VerifierKeyResource}) issues it.
 */
public record TestDevice(String id, KeyPair key) {

    public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";

    public static TestDevice create() {
        return new TestDevice(UUID.randomUUID().toString(), TestJws.p256());
    }

    public EcPublicKey publicKey() {
        return EcPublicKey.of(key.getPublic());
    }

    public DeviceSnapshotV1 snapshot(DeviceState state) {
        return DeviceEvents.snapshot(id, "tracker-x1", publicKey(), state);
    }

    /** A fresh client assertion for {@code audience}. */
    public String assertion(String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", id);
        claims.put("sub", id);
        claims.put("aud", audience);
        claims.put("jti", UUID.randomUUID().toString());
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now);
        claims.put("exp", now + 120);
        return TestJws.es256(Map.of("alg", "ES256", "typ", "JWT"), claims, key.getPrivate());
    }

    /** An EAR for this device issued now by the test verifier. */
    public String ear(ArStatus status) {
        return ear(status, Instant.now(), VerifierKeyResource.KEY.getPrivate());
    }

    public String ear(ArStatus status, Instant issuedAt, PrivateKey verifier) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("eat_profile", EAR_PROFILE);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plusSeconds(3600).getEpochSecond());
        claims.put("ear.verifier-id", Map.of("developer", "SIM Anchor", "build", "test"));
        claims.put("sub", id);
        claims.put("cnf", Map.of("jkt", publicKey().thumbprint()));
        claims.put("submods", Map.of("device", Map.of("ear.status", status.claimValue(),
                "ear.trustworthiness-vector", Map.of("instance-identity", 2), "ear.appraisal-policy-id",
                "simanchor/default/v1")));
        return TestJws.es256(Map.of("alg", "ES256", "typ", "eat+jwt", "kid", VerifierKeyResource.KEY_ID), claims,
                verifier);
    }
}
