package io.simanchor.support.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Operator tokens for tests: a key pair made for this test run; quarkus-oidc verifies tokens with its
 * public key ({@code quarkus.oidc.public-key}), so role checks run exactly as in production. The test
 * against the real Keycloak is {@code KeycloakAdminAccessIT}.
 */
public class TestOidcResource implements QuarkusTestResourceLifecycleManager {

    private static final String PLATFORM_OPERATOR = "platform-operator";
    public static final String ISSUER = "https://oidc.test.simanchor.local/realms/simanchor";
    private static final KeyPair KEYS = newKeyPair();

    @Override
    public Map<String, String> start() {
        // Tokens are verified with the key alone: no server to discover (an empty URL unsets the configured one,
        // which matters for packaged services started by integration tests in the prod profile).
        return Map.of("quarkus.oidc.public-key", Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()),
                "quarkus.oidc.token.issuer", ISSUER, "quarkus.oidc.auth-server-url", "");
    }

    @Override
    public void stop() {
    }

    /**
     * A bearer token for a platform operator {@code user} with these realm roles (and {@code platform-operator},
     * so it acts for every tenant), valid for five minutes.
     */
    public static String token(String user, String... roles) {
        String[] platformRoles = Arrays.copyOf(roles, roles.length + 1);
        platformRoles[roles.length] = PLATFORM_OPERATOR;
        return sign(claims(user, platformRoles).build(), KEYS);
    }

    /** A bearer token for an operator of one tenant (claim {@code tenant}) with these realm roles. */
    public static String tenantToken(String user, String tenant, String... roles) {
        return sign(claims(user, roles).claim("tenant", tenant).build(), KEYS);
    }

    /** The claims of a token with exactly these roles and no tenant, for tests that spoil or add one. */
    public static JWTClaimsSet.Builder claims(String user, String... roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER)
                .audience("simanchor-api")
                .subject(UUID.randomUUID().toString())
                .claim("preferred_username", user)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** {@code claims} signed RS256 with the test key. */
    public static String sign(JWTClaimsSet claims) {
        return sign(claims, KEYS);
    }

    /** {@code claims} signed RS256 with a key the service does not trust. */
    public static String signWithUntrustedKey(JWTClaimsSet claims) {
        return sign(claims, newKeyPair());
    }

    private static String sign(JWTClaimsSet claims, KeyPair keys) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with the device-admin role. */
    public static String deviceAdmin() {
        return token("alice", "device-admin");
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
