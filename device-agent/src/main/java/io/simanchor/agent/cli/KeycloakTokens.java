package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.agent.enroll.SoftwareKey;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.token.TokenClient;

/**
 * The other half of the side-by-side token benchmark: the same ES256 {@code private_key_jwt}
 * client-credentials load as against token-service, against Keycloak. Registers N confidential clients in
 * the realm, each with its own P-256 key given as {@code jwks.string} (authenticator {@code client-jwt},
 * ES256, {@code token.endpoint.auth.signing.max.exp} long enough for pre-signed assertions, ES256 access
 * tokens), then runs {@link TokenLoad}. Keycloak needs no attestation result, so it does less per token
 * than token-service does.
 */
final class KeycloakTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * Settings of a run.
     *
     * @param keycloakUrl Keycloak's base URL
     * @param realm the realm the clients are registered in
     * @param adminPassword password of Keycloak's bootstrap admin user {@code admin}
     * @param server Keycloak's JVM (and its database, if it has one of its own) on this machine, to report their
     *        CPU per token
     */
    record Settings(URI keycloakUrl, String realm, String adminPassword, int clients, int warmup, int requests,
            List<Integer> concurrencies, Optional<TokenLoad.Processes> server) {
    }

    private final Settings settings;
    private final PrintStream out;

    KeycloakTokens(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    TokenLoad.Result run() {
        try (JsonHttp http = JsonHttp.open(Math.max(8, Collections.max(settings.concurrencies())))) {
            String admin = adminToken(http);
            SecureRandom random = new SecureRandom();
            String run = Long.toHexString(random.nextLong() & 0xffffffffL);
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < settings.clients(); i++) {
                indexes.add(i);
            }
            long start = System.nanoTime();
            List<TokenLoad.Caller> callers = Await.result(BoundedConcurrency.map(indexes, 8, i -> {
                SoftwareKey key = SoftwareKey.generate(random);
                String clientId = "token-bench-" + run + "-" + i;
                return http.json(JsonHttp.Call.of("POST", settings.keycloakUrl()
                        .resolve("/admin/realms/" + settings.realm() + "/clients"), Optional.of(admin)),
                        client(clientId, key), 201)
                        .thenApply(created -> new TokenLoad.Caller(clientId, key::sign, Optional.empty()));
            }));
            out.printf("  registered %d Keycloak clients (client-jwt, ES256) in realm %s in %.1f s%n", callers.size(),
                    settings.realm(), (System.nanoTime() - start) / 1e9);
            URI endpoint = settings.keycloakUrl()
                    .resolve("/realms/" + settings.realm() + "/protocol/openid-connect/token");
            TokenLoad.Result result = new TokenLoad(TokenClient.endpoint(http, endpoint), out, settings.server()).run(
                    callers,
                    settings.warmup(), settings.requests(), settings.concurrencies());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("benchmark", "keycloak-tokens");
            figures.putAll(result.figures());
            return new TokenLoad.Result(figures, result.failed());
        }
    }

    private String adminToken(JsonHttp http) {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode(settings.adminPassword(), StandardCharsets.UTF_8);
        return Await.result(http.form(JsonHttp.Call.of("POST", settings.keycloakUrl()
                .resolve("/realms/master/protocol/openid-connect/token"), Optional.empty()), form, 200))
                .get("access_token")
                .asText();
    }

    private static Map<String, Object> client(String clientId, SoftwareKey key) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("token.endpoint.auth.signing.alg", "ES256");
        attributes.put("use.jwks.string", "true");
        attributes.put("jwks.string", jwks(clientId, (ECPublicKey) key.keyPair().getPublic()));
        // Pre-signed assertions are used up to a few minutes after signing, as against token-service.
        attributes.put("token.endpoint.auth.signing.max.exp", "300");
        attributes.put("access.token.signed.response.alg", "ES256");
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("protocol", "openid-connect");
        client.put("publicClient", false);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("serviceAccountsEnabled", true);
        client.put("clientAuthenticatorType", "client-jwt");
        client.put("attributes", attributes);
        return client;
    }

    private static String jwks(String keyId, ECPublicKey key) {
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("kid", keyId);
        jwk.put("use", "sig");
        jwk.put("alg", "ES256");
        jwk.put("x", coordinate(key.getW().getAffineX()));
        jwk.put("y", coordinate(key.getW().getAffineY()));
        try {
            return JSON.writeValueAsString(Map.of("keys", List.of(jwk)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC coordinate as RFC 7518 §6.2.1.2 wants it: 32 big-endian bytes, base64url. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return BASE64URL.encodeToString(fixed);
    }
}
