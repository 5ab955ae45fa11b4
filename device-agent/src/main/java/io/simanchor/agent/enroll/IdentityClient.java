package io.simanchor.agent.enroll;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * REST client of identity-service: the device's enrollment calls, and the operator's registration call
 * (with a bearer token) the fleet simulator needs to set devices up.
 */
public final class IdentityClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** A 100,000-record manifest is about 40 MB and imports in well under a minute; leave room. */
    private static final Duration MANIFEST_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http;
    private final URI baseUrl;

    public IdentityClient(HttpClient http, URI baseUrl) {
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
    public Challenge createChallenge(String iccid) {
        JsonNode body = post("/api/v1/enrollment/challenges", Map.of("iccid", iccid), Optional.empty(), 201);
        return new Challenge(body.get("challengeId").asText(), body.get("nonce").asText(),
                body.get("expiresAt").asText());
    }

    /** Sends the CSR answering the challenge. */
    public Enrollment enroll(String challengeId, String csrPem) {
        JsonNode body = post("/api/v1/enrollments", Map.of("challengeId", challengeId, "csr", csrPem),
                Optional.empty(), 201);
        return new Enrollment(body.get("deviceId").asText(), body.get("certificateChain").asText(),
                body.get("mudUrl").asText());
    }

    /** Registers an expected device (operator call). */
    public void register(String bearerToken, Map<String, String> registration) {
        post("/api/v1/admin/registrations", registration, Optional.of(bearerToken), 201);
    }

    /** Registers (or replaces) a SIM vendor's public key for a tenant (operator call, role policy-admin). */
    public void putVendorKey(String bearerToken, String tenant, String keyId, String publicKeyPem) {
        try {
            send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/admin/tenants/" + tenant + "/vendor-keys/" + keyId))
                    .timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers
                            .ofByteArray(JSON.writeValueAsBytes(Map.of("publicKey", publicKeyPem)))),
                    "vendor-keys", Optional.of(bearerToken), 200);
        } catch (IOException e) {
            throw new ServiceException("vendor-keys", 0, e.toString());
        }
    }

    /**
     * Uploads a SIM vendor's manifest (JSON Lines file) for a tenant and returns the import report
     * ({@code received, imported, unchanged, rejected, errors}).
     */
    public JsonNode importManifest(String bearerToken, String tenant, Path manifest) {
        try {
            return send(HttpRequest.newBuilder(baseUrl.resolve("/api/v1/admin/registrations:bulk?tenant=" + tenant))
                    .timeout(MANIFEST_TIMEOUT)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(manifest)), "registrations:bulk", Optional.of(bearerToken),
                    200);
        } catch (IOException e) {
            throw new ServiceException("registrations:bulk", 0, e.toString());
        }
    }

    private JsonNode post(String path, Object body, Optional<String> bearerToken, int expectedStatus) {
        try {
            return send(HttpRequest.newBuilder(baseUrl.resolve(path))
                    .timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))), path, bearerToken,
                    expectedStatus);
        } catch (IOException e) {
            throw new ServiceException(path, 0, e.toString());
        }
    }

    private JsonNode send(HttpRequest.Builder request, String path, Optional<String> bearerToken, int expectedStatus) {
        try {
            request.header("Accept", "application/json");
            bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new ServiceException(path, response.statusCode(), response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ServiceException(path, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(path, 0, "interrupted");
        }
    }

    /** A call that did not get the expected answer; {@code status} 0 means no answer at all. */
    public static final class ServiceException extends RuntimeException {

        private final int status;

        ServiceException(String path, int status, String body) {
            super(path + " -> " + (status == 0 ? "no response" : status) + ": " + body, null, false, false);
            this.status = status;
        }

        /** HTTP status, 0 when the service did not answer. */
        public int status() {
            return status;
        }
    }
}
