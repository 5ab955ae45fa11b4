package io.simanchor.support.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class KeyedRateLimitTest {

    private final AtomicLong now = new AtomicLong(-5_000_000_000L);

    @Test
    void each_key_has_its_own_burst_and_refills_at_its_rate() {
        KeyedRateLimit limit = new KeyedRateLimit(new KeyedRateLimit.Limit(2, 3), 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limit.take("a")).isEmpty();
        }
        assertThat(limit.take("a")).contains(Duration.ofMillis(500));
        assertThat(limit.take("b")).isEmpty();

        now.addAndGet(500_000_000L);
        assertThat(limit.take("a")).isEmpty();
        assertThat(limit.take("a")).isPresent();
    }

    @Test
    void memory_stays_bounded_new_keys_share_one_bucket_when_full_and_idle_keys_are_forgotten() {
        KeyedRateLimit limit = new KeyedRateLimit(new KeyedRateLimit.Limit(1, 2), 10, now::get);
        for (int i = 0; i < 10; i++) {
            limit.take("busy-" + i);
        }
        assertThat(limit.tracked()).isEqualTo(10);

        // A flood of new names: they share the overflow bucket's burst of 2, nothing more is tracked.
        assertThat(limit.take("new-1")).isEmpty();
        assertThat(limit.take("new-2")).isEmpty();
        assertThat(limit.take("new-3")).isPresent();
        assertThat(limit.tracked()).isEqualTo(10);

        now.addAndGet(2_000_000_000L);
        assertThat(limit.take("new-4")).as("idle keys forgotten, room again").isEmpty();
        assertThat(limit.tracked()).isEqualTo(1);
    }
}
