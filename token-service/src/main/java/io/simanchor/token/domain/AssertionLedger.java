package io.simanchor.token.domain;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Remembers used client assertions until they expire, so each {@code jti} is accepted once (RFC 7523 §3
 * item 7), across every instance.
 */
public interface AssertionLedger {

    /**
     * Records the assertion's use without blocking the caller.
     *
     * @param assertionId a digest of the device id and {@code jti}
     * @param expiresAt the assertion's {@code exp} plus the clock skew: after that it is refused anyway, so
     *        the record may go
     * @return completes, once durable, with true on first use; fails if the use could not be recorded
     */
    CompletionStage<Boolean> recordFirstUse(byte[] assertionId, Instant expiresAt);
}
