package io.simanchor.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RateLimitRetryTest {

    private final AtomicInteger calls = new AtomicInteger();

    private CompletionStage<String> refusedTimes(int refusals, int status, Optional<Duration> retryAfter) {
        if (calls.incrementAndGet() <= refusals) {
            return CompletableFuture.failedFuture(new HttpCallException("/api/v1/enrollments", status,
                    "{\"code\":\"RATE_LIMITED\"}", retryAfter));
        }
        return CompletableFuture.completedFuture("enrolled");
    }

    @Test
    void a_429_is_tried_again_after_the_servers_retry_after() throws Exception {
        long start = System.nanoTime();
        String result = RateLimitRetry
                .onTooManyRequests(() -> refusedTimes(2, 429, Optional.of(Duration.ofMillis(200))), 4)
                .toCompletableFuture()
                .get();

        assertThat(result).isEqualTo("enrolled");
        assertThat(calls).hasValue(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void the_last_429_other_failures_and_an_unreasonable_wait_are_the_callers() {
        assertThatThrownBy(() -> RateLimitRetry
                .onTooManyRequests(() -> refusedTimes(5, 429, Optional.of(Duration.ofMillis(1))), 3)
                .toCompletableFuture()
                .get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpCallException.class);
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> RateLimitRetry.onTooManyRequests(() -> refusedTimes(1, 400, Optional.empty()), 3)
                .toCompletableFuture()
                .get()).hasCauseInstanceOf(HttpCallException.class);
        assertThat(calls).hasValue(1);

        calls.set(0);
        assertThatThrownBy(() -> RateLimitRetry
                .onTooManyRequests(() -> refusedTimes(1, 429, Optional.of(Duration.ofHours(1))), 3)
                .toCompletableFuture()
                .get()).hasCauseInstanceOf(HttpCallException.class);
        assertThat(calls).hasValue(1);
    }
}
