package io.simanchor.agent.enroll;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;

import io.simanchor.agent.http.JsonHttp;

/**
 * REST client of identity-service: the device's enrollment calls, and the operator's calls (with a bearer
 * token) the fleet simulator needs to set devices up. Every call is asynchronous; a failed call completes
 * with {@link io.simanchor.agent.http.HttpCallException}.
 */
public final class IdentityClient {

    /** A 100,000-record manifest is about 40 MB and imports in well under a minute; leave room. */
    private static final Duration MANIFEST_TIMEOUT = Duration.ofMinutes(10);

    private final JsonHttp http;
    private final URI baseUrl;

    public IdentityClient(JsonHttp http, URI baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** A challenge issued by the service. */
    public record Challenge(String challengeId, String nonce, String expiresAt) {
    }

    /** A successful enrollment. */
    public record Enrollment(String deviceId, String certificateChain, String mudUrl) {
    }

    /** Asks for an enrollment challenge for the SIM's ICCID. */
    public CompletionStage<Challenge> createChallenge(String iccid) {
        return http.json(post("/api/v1/enrollment/challenges", Optional.empty()), Map.of("iccid", iccid), 201)
                .thenApply(body -> new Challenge(body.get("challengeId").asText(), body.get("nonce").asText(),
                        body.get("expiresAt").asText()));
    }

    /** Sends the CSR answering the challenge. */
    public CompletionStage<Enrollment> enroll(String challengeId, String csrPem) {
        return http.json(post("/api/v1/enrollments", Optional.empty()),
                Map.of("challengeId", challengeId, "csr", csrPem), 201)
                .thenApply(body -> new Enrollment(body.get("deviceId").asText(),
                        body.get("certificateChain").asText(), body.get("mudUrl").asText()));
    }

    /** Asks for a key-rotation challenge for an enrolled device (the device's own call, no operator token). */
    public CompletionStage<Challenge> createRotationChallenge(String deviceId) {
        return http.json(post("/api/v1/devices/" + deviceId + "/key-rotation/challenges", Optional.empty()), Map.of(),
                201)
                .thenApply(body -> new Challenge(JsonHttp.requiredText(body, "challengeId"),
                        JsonHttp.requiredText(body, "nonce"), JsonHttp.requiredText(body, "expiresAt")));
    }

    /**
     * Rotates the device's key: the CSR of the new key answering the challenge, and the current key's
     * signature over {@link io.simanchor.api.enrollment.KeyRotationProof} (base64 DER).
     */
    public CompletionStage<Enrollment> rotateKey(String deviceId, String challengeId, String csrPem, String proof) {
        return http.json(post("/api/v1/devices/" + deviceId + "/key-rotations", Optional.empty()),
                Map.of("challengeId", challengeId, "csr", csrPem, "proof", proof), 200)
                .thenApply(body -> new Enrollment(JsonHttp.requiredText(body, "deviceId"),
                        JsonHttp.requiredText(body, "certificateChain"), body.path("mudUrl").asText()));
    }

    /** Registers an expected device (operator call). */
    public CompletionStage<Void> register(String bearerToken, Map<String, String> registration) {
        return http.json(post("/api/v1/admin/registrations", Optional.of(bearerToken)), registration, 201)
                .thenApply(body -> null);
    }

    /** Revokes a device for good (operator call, role device-admin). */
    public CompletionStage<Void> revoke(String bearerToken, String deviceId, String reason) {
        return http.json(post("/api/v1/admin/devices/" + deviceId + "/revoke", Optional.of(bearerToken)),
                Map.of("reason", reason), 200)
                .thenApply(body -> null);
    }

    /** Registers (or replaces) a SIM vendor's public key for a tenant (operator call, role policy-admin). */
    public CompletionStage<Void> putVendorKey(String bearerToken, String tenant, String keyId, String publicKeyPem) {
        return http.json(JsonHttp.Call.of("PUT", url("/api/v1/admin/tenants/" + tenant + "/vendor-keys/" + keyId),
                Optional.of(bearerToken)), Map.of("publicKey", publicKeyPem), 200)
                .thenApply(body -> null);
    }

    /**
     * Uploads a SIM vendor's manifest (JSON Lines file) for a tenant and returns the import report
     * ({@code received, imported, unchanged, rejected, errors}).
     */
    public CompletionStage<JsonNode> importManifest(String bearerToken, String tenant, Path manifest) {
        return http.file(new JsonHttp.Call("POST", url("/api/v1/admin/registrations:bulk?tenant=" + tenant),
                Optional.of(bearerToken), MANIFEST_TIMEOUT), "application/x-ndjson", manifest, 200);
    }

    private JsonHttp.Call post(String path, Optional<String> bearerToken) {
        return JsonHttp.Call.of("POST", url(path), bearerToken);
    }

    private URI url(String pathAndQuery) {
        return baseUrl.resolve(pathAndQuery);
    }
}
