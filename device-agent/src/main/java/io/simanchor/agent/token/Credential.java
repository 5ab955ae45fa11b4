package io.simanchor.agent.token;

import java.time.Duration;

/**
 * A credential an issuer handed the device: an access token or an EAR, and how long it is valid from the
 * moment it was asked for (its {@code expires_in}, or {@code exp - iat}), so that the device's own clock,
 * which may be off, never decides whether it has expired.
 *
 * @param value the token (a compact JWS)
 * @param lifetime how long it is valid
 */
public record Credential(String value, Duration lifetime) {

    /** Longer lifetimes are a malformed answer: the platform's tokens live minutes, its EARs an hour. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(1);

    public Credential {
        if (value == null || value.isEmpty() || lifetime.isNegative() || lifetime.isZero()
                || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a credential needs a value and a lifetime of at most a day");
        }
    }

    @Override
    public String toString() {
        // Never the value: tokens do not belong in logs.
        return "Credential[lifetime=" + lifetime + "]";
    }
}
