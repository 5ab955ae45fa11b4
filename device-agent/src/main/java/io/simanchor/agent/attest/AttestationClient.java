package io.simanchor.agent.attest;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.simanchor.agent.http.JsonHttp;
import io.simanchor.api.attestation.EatEvidenceV1;

/**
 * REST client of attestation-service: a nonce, then evidence for it. Asynchronous; a refused call
 * completes with {@link io.simanchor.agent.http.HttpCallException} carrying the problem's reason code.
 */
public final class AttestationClient {

    private final JsonHttp http;
    private final URI baseUrl;

    public AttestationClient(JsonHttp http, URI baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** The attestation result: the EAR to present to relying parties and its status. */
    public record Result(String ear, String status, String expiresAt) {
    }

    /** Asks for a nonce bound to {@code deviceId}. */
    public CompletionStage<String> challenge(String deviceId) {
        return http.json(post("/api/v1/attestation/challenges"), Map.of("deviceId", deviceId), 200)
                .thenApply(body -> JsonHttp.requiredText(body, "nonce"));
    }

    /** Sends signed evidence (compact JWS) for appraisal. */
    public CompletionStage<Result> appraise(String evidence) {
        return http.text(post("/api/v1/attestation/evidence"), EatEvidenceV1.MEDIA_TYPE, evidence, 200)
                .thenApply(body -> new Result(JsonHttp.requiredText(body, "ear"), JsonHttp.requiredText(body, "status"),
                        JsonHttp.requiredText(body, "expiresAt")));
    }

    private JsonHttp.Call post(String path) {
        return JsonHttp.Call.of("POST", baseUrl.resolve(path), Optional.empty());
    }
}
