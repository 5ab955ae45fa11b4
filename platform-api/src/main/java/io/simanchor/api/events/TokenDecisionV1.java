package io.simanchor.api.events;

import java.time.Instant;

/**
 * A decision of token-service's token endpoint, on {@code simanchor.token-events} (key = device id, or the
 * subject the request claimed when no device was identified).
 *
 * @param decision {@code issued} or {@code denied}
 * @param deviceId the device the client assertion named; null when the request got no further than its form
 * @param reasonCode for {@code denied}: the reason code (docs/token-service.md); null when issued
 * @param error for {@code denied}: the RFC 6749 §5.2 error code returned; null when issued
 * @param scope the granted scope; null when denied
 * @param tokenId the access token's {@code jti}; null when denied
 * @param attestationStatus the status of the EAR the token rests on; null when denied
 * @param expiresAt the access token's expiry; null when denied
 */
public record TokenDecisionV1(
        String decision,
        String deviceId,
        String reasonCode,
        String error,
        String scope,
        String tokenId,
        String attestationStatus,
        Instant decidedAt,
        Instant expiresAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.token.decided.v1";
    public static final String ISSUED = "issued";
    public static final String DENIED = "denied";
}
