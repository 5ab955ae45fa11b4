package io.simanchor.support.ratelimit;

import java.time.Duration;

import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemException;

/** A request refused by a rate limit: 429 with {@code Retry-After} (RFC 6585 §4, RFC 9110 §10.2.3). */
public final class RateLimitedException extends ProblemException {

    private final Duration retryAfter;

    public RateLimitedException(String detail, Duration retryAfter) {
        super(CommonProblems.RATE_LIMITED, detail);
        this.retryAfter = retryAfter;
    }

    /** How long the client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, rounded up and at least 1, as {@code Retry-After} carries it. */
    public long retryAfterSeconds() {
        return retryAfterSeconds(retryAfter);
    }

    /** {@code wait} in whole seconds, rounded up and at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
