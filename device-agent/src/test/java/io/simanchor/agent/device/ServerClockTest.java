package io.simanchor.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ServerClockTest {

    private static final Instant PLATFORM_NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void a_device_clock_behind_the_platform_is_corrected_by_what_the_tokens_say() {
        ServerClock clock = new ServerClock(Clock.fixed(PLATFORM_NOW.minus(Duration.ofMinutes(7)), ZoneOffset.UTC));

        clock.observe(PLATFORM_NOW, Duration.ofMillis(200));

        assertThat(Duration.between(clock.now(), PLATFORM_NOW).abs()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void a_second_of_difference_is_noise_not_skew() {
        ServerClock clock = new ServerClock(Clock.fixed(PLATFORM_NOW.minusMillis(900), ZoneOffset.UTC));

        clock.observe(PLATFORM_NOW, Duration.ofMillis(100));

        assertThat(clock.offset()).isZero();
    }
}
