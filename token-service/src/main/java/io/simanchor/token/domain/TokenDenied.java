package io.simanchor.token.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * A refused token request.
 *
 * @see DenialReason
 */
public final class TokenDenied extends RuntimeException {

    private final DenialReason reason;
    private final String deviceId;
    private final Duration retryAfter;

    TokenDenied(DenialReason reason, String deviceId, String detail) {
        this(reason, deviceId, detail, null);
    }

    TokenDenied(DenialReason reason, String deviceId, String detail, Duration retryAfter) {
        // The detail is for the operator's event, never for the client; no stack trace is needed.
        super(detail, null, false, false);
        this.reason = reason;
        this.deviceId = deviceId;
        this.retryAfter = retryAfter;
    }

    public DenialReason reason() {
        return reason;
    }

    /** The device the request named, when it got that far (it may not exist). */
    public Optional<String> deviceId() {
        return Optional.ofNullable(deviceId);
    }

    /** For {@link DenialReason#RATE_LIMITED}: when to come back. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
