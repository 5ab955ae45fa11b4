package io.simanchor.agent.token;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.http.MalformedAnswerException;
import io.simanchor.agent.jose.DerSigner;
import io.simanchor.agent.jose.Es256;

/**
 * Client of token-service's token endpoint: client credentials authenticated by a JWT client assertion
 * signed with the device key (RFC 7523 §2.2), plus the device's current EAR. Every assertion has a fresh
 * {@code jti} and is signed anew, so a signature value is never reused. A refusal completes with
 * {@link io.simanchor.agent.http.HttpCallException} carrying the RFC 6749 error body.
 */
public final class TokenClient {

    /**
     * How long an assertion is valid: enough for the request to arrive (or for a load generator's run of
     * pre-signed requests), within token-service's 5-minute maximum.
     */
    private static final Duration ASSERTION_LIFETIME = Duration.ofSeconds(240);
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Map<String, String> HEADER = Map.of("alg", "ES256", "typ", "JWT");

    private final JsonHttp http;
    private final URI tokenEndpoint;
    private final String audience;

    private TokenClient(JsonHttp http, URI tokenEndpoint, String audience) {
        this.http = http;
        this.tokenEndpoint = tokenEndpoint;
        this.audience = audience;
    }

    /** A client of token-service: assertions name its issuer (RFC 8414), requests go to {@code /oauth2/token}. */
    public static TokenClient simAnchor(JsonHttp http, URI issuer) {
        return new TokenClient(http, issuer.resolve("/oauth2/token"), issuer.toString());
    }

    /**
     * A client of any RFC 7523 token endpoint (Keycloak's, for the side-by-side benchmark): assertions name
     * the endpoint itself, which RFC 7523 §3 item 3 allows and every server accepts.
     */
    public static TokenClient endpoint(JsonHttp http, URI tokenEndpoint) {
        return new TokenClient(http, tokenEndpoint, tokenEndpoint.toString());
    }

    /** An access token as issued. */
    public record AccessToken(String token, Duration expiresIn, String scope) {
    }

    /**
     * Asks for a token.
     *
     * @param derSigner signs with the device key, returning a DER ECDSA P-256 signature
     * @param ear the device's current attestation result
     */
    public CompletionStage<AccessToken> token(String deviceId, UnaryOperator<byte[]> derSigner, String ear,
            Optional<String> scope) {
        return token(assertion(deviceId, derSigner), Optional.of(ear), scope);
    }

    /** A fresh client assertion for this issuer: new {@code jti}, valid for {@link #ASSERTION_LIFETIME}. */
    public String assertion(String deviceId, UnaryOperator<byte[]> derSigner) {
        return Es256.compact(HEADER, assertionClaims(deviceId, Instant.now()), derSigner);
    }

    /**
     * A fresh client assertion signed by the SIM, dated {@code now} (the device's best estimate of the
     * server's time: a device whose clock is off would otherwise be refused, RFC 7523 §3 items 4 and 5).
     */
    public CompletionStage<String> assertion(String deviceId, DerSigner derSigner, Instant now) {
        return Es256.compactAsync(HEADER, assertionClaims(deviceId, now), derSigner);
    }

    private Map<String, Object> assertionClaims(String deviceId, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", deviceId);
        claims.put("sub", deviceId);
        claims.put("aud", audience);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        return claims;
    }

    /**
     * Asks for a token with an assertion signed beforehand (a load generator's pre-signed requests).
     *
     * @param ear the attestation result token-service requires; other servers get none
     */
    public CompletionStage<AccessToken> token(String assertion, Optional<String> ear, Optional<String> scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion);
        ear.ifPresent(value -> form.put("attestation_result", value));
        scope.ifPresent(value -> form.put("scope", value));
        return http.form(JsonHttp.Call.of("POST", tokenEndpoint, Optional.empty()), encode(form), 200)
                .thenApply(body -> {
                    if (!body.path("expires_in").canConvertToLong() || body.get("expires_in").asLong() <= 0) {
                        throw new MalformedAnswerException("the token answer lacks a positive 'expires_in'");
                    }
                    return new AccessToken(JsonHttp.requiredText(body, "access_token"),
                            Duration.ofSeconds(body.get("expires_in").asLong()), body.path("scope").asText());
                });
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet()
                .stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
