package io.simanchor.support.testing;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Stands in for attestation-service's EAR key in tests of the services that read
 * {@code simanchor.attestation-results}: a P-256 key made per test JVM, whose key set those services are
 * given inline ({@link KafkaTestResource}, {@link PackagedService#environment}), and which signs the EARs
 * the results tests publish carry. Signed with Nimbus, a library nobody here wrote.
 */
public final class TestVerifierKeys {

    /** The configuration property that gives a service attestation-service's EAR keys inline. */
    public static final String PROPERTY = "simanchor.records.attestation-keys";
    /** The EAR profile (draft-ietf-rats-ear §3.1). */
    public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";

    private static final ECKey KEY = TestEs256Keys.generate();

    private TestVerifierKeys() {
    }

    /** The key set, as attestation-service publishes it. */
    public static String jwks() {
        return TestEs256Keys.jwks(KEY);
    }

    /** An EAR as attestation-service signs it: {@code status} for {@code deviceId}'s key, issued then. */
    public static String ear(String deviceId, String status, String keyThumbprint, Instant issuedAt,
            Instant expiresAt) {
        return ear(KEY, deviceId, status, keyThumbprint, issuedAt, expiresAt);
    }

    /** The same EAR signed by {@code key}, for tests of what a reader does with a forged one. */
    public static String ear(ECKey key, String deviceId, String status, String keyThumbprint, Instant issuedAt,
            Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("eat_profile", EAR_PROFILE)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .subject(deviceId)
                .claim("cnf", Map.of("jkt", keyThumbprint))
                .claim("submods", Map.of("device", Map.of("ear.status", status, "ear.appraisal-policy-id",
                        "simanchor/default/v1", "ear.trustworthiness-vector", Map.of("hardware", 2))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("eat+jwt"))
                .keyID(key.getKeyID())
                .build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
