package io.simanchor.attestation.api.rest;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.attestation.domain.AttestationNonces;
import io.simanchor.attestation.domain.AttestationService;
import io.simanchor.attestation.domain.SignedEvidence;
import io.simanchor.attestation.infra.jose.CompactEvidenceReader;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.runtime.CompletionFailures;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The device-facing verifier API (docs/attestation.md): a nonce, then evidence for it. Devices
 * authenticate by their evidence's signature, so these endpoints take no bearer token.
 */
@Path("/api/v1/attestation")
@PermitAll // devices: a nonce and evidence, checked by the evidence signature
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class AttestationResource {

    private final AttestationService attestation;

    AttestationResource(AttestationService attestation) {
        this.attestation = attestation;
    }

    /** Body of a challenge request. */
    public record ChallengeRequest(String deviceId) {
    }

    /** A nonce for the device's next evidence. */
    public record ChallengeResponse(String nonce, Instant expiresAt) {
    }

    /**
     * The result of an appraisal.
     *
     * @param ear the signed EAR, to present to relying parties
     * @param status {@code ear.status}, for the device's own logs (relying parties read the EAR)
     * @param expiresAt the EAR's {@code exp}
     */
    public record ResultResponse(String ear, String status, Instant expiresAt) {
    }

    /**
     * Issuing a nonce is an HMAC and touches no database (stateless nonces), so it stays on the event
     * loop: no hand-off to a worker thread for half of every appraisal's requests.
     */
    @POST
    @Path("/challenges")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking
    public ChallengeResponse challenge(ChallengeRequest request) {
        AttestationNonces.IssuedNonce nonce = attestation.challenge(request == null ? null : request.deviceId());
        return new ChallengeResponse(nonce.nonce(), nonce.expiresAt());
    }

    /**
     * Appraises on the event loop that read the request: every check works on memory (the device view, the
     * nonce's MAC, cached policies), and the wait for the nonce's use to be recorded holds no thread; only
     * a model's policy or reference values not used for a while are waited for, read on a worker thread.
     * Run on a worker thread per request instead, an appraisal cost 0.52 ms of CPU instead of 0.40
     * (docs/performance.md). The answer is completed back on the request's event loop, whichever thread
     * finished the appraisal.
     */
    @POST
    @Path("/evidence")
    @Consumes(EatEvidenceV1.MEDIA_TYPE)
    @NonBlocking
    public CompletionStage<ResultResponse> evidence(String compactJws) {
        SignedEvidence evidence;
        try {
            evidence = CompactEvidenceReader.read(compactJws);
        } catch (MalformedJwsException e) {
            throw attestation.malformed(e.getMessage());
        }
        Context eventLoop = Vertx.currentContext();
        CompletableFuture<ResultResponse> answer = new CompletableFuture<>();
        attestation.appraise(evidence).whenComplete((verdict, failure) -> {
            if (eventLoop == null || (Context.isOnEventLoopThread() && Vertx.currentContext() == eventLoop)) {
                complete(answer, verdict, failure);
            } else {
                eventLoop.runOnContext(ignored -> complete(answer, verdict, failure));
            }
        });
        return answer;
    }

    private static void complete(CompletableFuture<ResultResponse> answer, AttestationService.Verdict verdict,
            Throwable failure) {
        try {
            if (failure != null) {
                // The refusal or the store's exception itself, so the exception mappers answer it.
                answer.completeExceptionally(CompletionFailures.cause(failure));
            } else {
                answer.complete(new ResultResponse(verdict.ear(),
                        verdict.result().appraisal().status().claimValue(), verdict.result().expiresAt()));
            }
        } catch (RuntimeException | Error bug) {
            // The client still gets an answer: a 500 problem.
            answer.completeExceptionally(bug);
        }
    }
}
