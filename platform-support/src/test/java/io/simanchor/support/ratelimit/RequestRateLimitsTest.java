package io.simanchor.support.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.simanchor.api.events.SecurityEventV1;

class RequestRateLimitsTest {

    private final AtomicLong now = new AtomicLong();
    private final RequestRateLimits limits = new RequestRateLimits(new KeyedRateLimit.Limit(1, 2),
            new KeyedRateLimit.Limit(0.1, 1), 1_000, now::get);
    private final List<SecurityEventV1> events = new ArrayList<>();
    private final RateLimitReport report = new RateLimitReport(limits, events::add, "identity-service",
            Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void a_subject_beyond_its_budget_is_refused_with_the_time_to_wait() {
        limits.admit(RequestRateLimits.Scope.ICCID, "8988200000000000001");

        assertThatThrownBy(() -> limits.admit(RequestRateLimits.Scope.ICCID, "8988200000000000001"))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.type().code()).isEqualTo("RATE_LIMITED");
                    assertThat(e.type().status()).isEqualTo(429);
                    assertThat(e.retryAfterSeconds()).isEqualTo(10);
                });
        limits.admit(RequestRateLimits.Scope.DEVICE, "8988200000000000001");
    }

    @Test
    void a_request_naming_nothing_is_left_to_the_address_limit() {
        limits.admit(RequestRateLimits.Scope.DEVICE, null);
        limits.admit(RequestRateLimits.Scope.DEVICE, null);
    }

    @Test
    void long_names_share_a_bounded_key() {
        String prefix = "x".repeat(RequestRateLimits.MAX_SUBJECT_LENGTH);
        limits.admit(RequestRateLimits.Scope.DEVICE, prefix + "a");
        assertThatThrownBy(() -> limits.admit(RequestRateLimits.Scope.DEVICE, prefix + "b"))
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void refusals_become_one_summary_event_a_period_and_none_when_there_were_none() {
        report.run();
        assertThat(events).isEmpty();

        for (int i = 0; i < 5; i++) {
            limits.admitSource("192.0.2.7");
        }
        limits.admitSource("192.0.2.8");
        limits.admit(RequestRateLimits.Scope.DEVICE, "d-1");
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> limits.admit(RequestRateLimits.Scope.DEVICE, "d-1"))
                    .isInstanceOf(RateLimitedException.class);
        }
        report.run();

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.reasonCode()).isEqualTo("RATE_LIMITED");
            assertThat(event.service()).isEqualTo("identity-service");
            assertThat(event.details()).containsEntry("refused", "7")
                    .containsEntry("SOURCE_ADDRESS", "3")
                    .containsEntry("DEVICE", "4")
                    .containsEntry("ICCID", "0")
                    .containsEntry("top.DEVICE:d-1", "4")
                    .containsEntry("top.SOURCE_ADDRESS:192.0.2.7", "3")
                    .doesNotContainKey("top.SOURCE_ADDRESS:192.0.2.8");
        });
        report.run();
        assertThat(events).as("nothing refused since").hasSize(1);
    }
}
