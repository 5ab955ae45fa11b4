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

    public Credential {
        if (value == null || value.isEmpty() || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a credential needs a value and a positive lifetime");
        }
    }

    @Override
    public String toString() {
        // Never the value: tokens do not belong in logs.
        return "Credential[lifetime=" + lifetime + "]";
    }
}
