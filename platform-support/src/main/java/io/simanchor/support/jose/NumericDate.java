package io.simanchor.support.jose;

import java.time.Instant;
import java.util.Optional;

/**
 * A JWT NumericDate (RFC 7519 §2): seconds since the epoch. Only 0 to the end of year 9999 is accepted;
 * anything else is not a date any token here could carry, and {@link Instant#ofEpochSecond} would throw
 * on the extremes of a {@code long} (a 500 for whoever sends one).
 */
public final class NumericDate {

    /** 9999-12-31T23:59:59Z. */
    static final long MAX_SECONDS = 253_402_300_799L;

    private NumericDate() {
    }

    /** The instant of a claim value that is an integral JSON number in range, else empty. */
    public static Optional<Instant> of(Object claimValue) {
        if (claimValue instanceof Integer || claimValue instanceof Long) {
            long seconds = ((Number) claimValue).longValue();
            if (seconds >= 0 && seconds <= MAX_SECONDS) {
                return Optional.of(Instant.ofEpochSecond(seconds));
            }
        }
        return Optional.empty();
    }
}
