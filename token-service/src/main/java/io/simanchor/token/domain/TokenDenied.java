package io.simanchor.token.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import io.simanchor.support.runtime.CompletionFailures;

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

    /**
     * The refusal a failed {@link java.util.concurrent.CompletionStage} carries, if that is why it failed;
     * unwraps the {@link CompletionException} that dependent stages put around it.
     */
    public static Optional<TokenDenied> in(Throwable failure) {
        return CompletionFailures.cause(failure) instanceof TokenDenied denied ? Optional.of(denied) : Optional.empty();
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
