package io.simanchor.support.ratelimit;

import java.time.Duration;
import java.util.Optional;

/**
 * A token bucket (refills at a steady rate up to its capacity; each request takes one token). Times are a
 * monotonic clock in nanoseconds, {@link System#nanoTime} in service: a wall clock stepped back by NTP would
 * stop the refill for everyone.
 */
public final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedAt;

    /** A full bucket that refills {@code perSecond} tokens a second up to {@code capacity}. */
    public TokenBucket(double perSecond, int capacity, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedAt = now;
    }

    /** Takes a token: empty if there was one, else how long until there is (nothing taken). */
    public synchronized Optional<Duration> take(long now) {
        Optional<Duration> wait = waitBeforeNext(now);
        if (wait.isEmpty()) {
            tokens -= 1;
        }
        return wait;
    }

    /** How long until a token is there, taking nothing: empty if there is one now. */
    public synchronized Optional<Duration> waitBeforeNext(long now) {
        refill(now);
        if (tokens >= 1) {
            return Optional.empty();
        }
        long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
        return Optional.of(Duration.ofNanos(waitNanos));
    }

    /** Whether the bucket is full again (its owner has been quiet long enough to be forgotten). */
    public synchronized boolean full(long now) {
        refill(now);
        return tokens >= capacity;
    }

    private void refill(long now) {
        // Compared by difference: System.nanoTime may be negative, and may wrap.
        long elapsed = now - updatedAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updatedAt = now;
        }
    }
}
