package io.simanchor.token.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One decision of the token endpoint, as published on {@code simanchor.token-events}.
 *
 * @param deviceId the device the request named, if it got that far
 * @param issued whether a token was issued
 * @param reason the denial reason, when refused
 * @param scope the granted or requested scope
 * @param tokenId the access token's {@code jti}, when issued
 * @param earStatus the presented attestation status, when it was read
 * @param expiresAt the access token's expiry, when issued
 */
public record TokenDecision(Optional<String> deviceId, boolean issued, Optional<DenialReason> reason,
        Optional<String> scope, Optional<String> tokenId, Optional<String> earStatus, Instant decidedAt,
        Optional<Instant> expiresAt) {

    /** A refusal. */
    static TokenDecision denied(TokenDenied denial, Instant at) {
        return new TokenDecision(denial.deviceId(), false, Optional.of(denial.reason()), Optional.empty(),
                Optional.empty(), Optional.empty(), at, Optional.empty());
    }
}
