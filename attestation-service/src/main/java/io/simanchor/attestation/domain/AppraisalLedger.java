package io.simanchor.attestation.domain;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import io.simanchor.api.events.AttestationResultV1;

/**
 * Where appraisals are recorded: the nonce is marked consumed and the result queued for
 * {@code simanchor.attestation-results} in one transaction, shared by every instance of the service, so a
 * nonce is accepted once however many instances see it.
 */
public interface AppraisalLedger {

    /**
     * Records the first use of a nonce together with its result.
     *
     * @param nonceId the nonce's random part
     * @param nonceExpiresAt after this the record may be forgotten: the nonce no longer passes its check
     * @return completes, once the record is durable, with false, and nothing recorded, when the nonce was
     *         used before; fails when it could not be recorded
     */
    CompletionStage<Boolean> recordFirstUse(byte[] nonceId, Instant nonceExpiresAt, AttestationResultV1 result);
}
