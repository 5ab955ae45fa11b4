package io.simanchor.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Token buckets on a monotonic clock, which may start anywhere and wrap. */
class RateLimiterTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** System.nanoTime may be near the end of long's range; a refill must not stop when it wraps. */
    @Test
    void buckets_refill_across_the_wrap_of_the_nanosecond_counter() {
        AtomicLong now = new AtomicLong(Long.MAX_VALUE - SECOND / 2);
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limits(1, 1, 1, 1), now::get);

        assertThat(limiter.acquireGlobal()).isEmpty();
        assertThat(limiter.acquireDevice("d")).isEmpty();
        assertThat(limiter.acquireGlobal()).isPresent();
        assertThat(limiter.deviceWait("d")).isPresent();

        now.addAndGet(2 * SECOND); // wraps to a negative value

        assertThat(limiter.acquireGlobal()).isEmpty();
        assertThat(limiter.deviceWait("d")).isEmpty();
        assertThat(limiter.acquireDevice("d")).isEmpty();
    }

    @Test
    void an_empty_bucket_says_how_long_to_wait_and_a_look_takes_nothing() {
        AtomicLong now = new AtomicLong(-5 * SECOND);
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limits(2, 2, 100, 100), now::get);

        assertThat(limiter.deviceWait("d")).as("an unknown name is not tracked").isEmpty();
        assertThat(limiter.trackedDevices()).isZero();
        assertThat(limiter.acquireDevice("d")).isEmpty();
        assertThat(limiter.deviceWait("d")).isEmpty();
        assertThat(limiter.deviceWait("d")).isEmpty();
        assertThat(limiter.acquireDevice("d")).isEmpty();

        assertThat(limiter.deviceWait("d")).hasValue(Duration.ofMillis(500));
        assertThat(limiter.acquireDevice("d")).hasValue(Duration.ofMillis(500));
    }
}
