package io.simanchor.attestation.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.simanchor.attestation.testing.MutableClock;

/**
 * The cache of policies and reference values answers lookups without ever reading on the caller's thread
 * (an event loop): reads run on the given executor, here one the test runs by hand.
 */
class TtlCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
    private final List<Runnable> pendingReads = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final TtlCache<String, String> cache = new TtlCache<>(key -> key + "#" + reads.incrementAndGet(),
            pendingReads::add, TTL, 100, clock);

    @Test
    void a_missing_value_is_read_on_the_executor_not_on_the_caller() {
        CompletableFuture<String> value = cache.get("model").toCompletableFuture();

        assertThat(value).isNotDone();
        assertThat(reads).hasValue(0);
        runPendingReads();
        assertThat(value).isCompletedWithValue("model#1");
    }

    @Test
    void lookups_while_a_value_is_read_share_that_one_read() {
        CompletableFuture<String> first = cache.get("model").toCompletableFuture();
        CompletableFuture<String> second = cache.get("model").toCompletableFuture();

        assertThat(pendingReads).hasSize(1);
        runPendingReads();
        assertThat(first).isCompletedWithValue("model#1");
        assertThat(second).isCompletedWithValue("model#1");
    }

    @Test
    void a_value_younger_than_the_ttl_comes_from_memory_at_once_then_is_read_again() {
        cache.get("model");
        runPendingReads();
        clock.advance(TTL.minusMillis(1));

        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
        assertThat(pendingReads).isEmpty();

        clock.advance(Duration.ofMillis(1));
        CompletableFuture<String> expired = cache.get("model").toCompletableFuture();
        assertThat(expired).isNotDone();
        runPendingReads();
        assertThat(expired).isCompletedWithValue("model#2");
    }

    @Test
    void a_failed_read_fails_its_lookups_and_is_not_kept() {
        AtomicInteger attempts = new AtomicInteger();
        TtlCache<String, String> failingOnce = new TtlCache<>(key -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return key;
        }, Runnable::run, TTL, 100, clock);

        assertThat(failingOnce.get("model").toCompletableFuture())
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(failingOnce.get("model").toCompletableFuture()).isCompletedWithValue("model");
    }

    @Test
    void an_executor_that_refuses_the_read_fails_the_lookup_instead_of_leaving_it_waiting() {
        TtlCache<String, String> refused = new TtlCache<>(key -> key, read -> {
            throw new RejectedExecutionException("shutting down");
        }, TTL, 100, clock);

        CompletableFuture<String> value = refused.get("model").toCompletableFuture();
        assertThat(value).isCompletedExceptionally();
        assertThat(catchJoin(value)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void invalidating_a_key_reads_it_again() {
        cache.get("model");
        runPendingReads();

        cache.invalidate("model");
        CompletableFuture<String> value = cache.get("model").toCompletableFuture();
        runPendingReads();
        assertThat(value).isCompletedWithValue("model#2");
    }

    @Test
    void a_caller_cannot_complete_the_value_others_share() {
        CompletableFuture<String> mine = cache.get("model").toCompletableFuture();
        mine.complete("forged");
        runPendingReads();

        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
    }

    private void runPendingReads() {
        List<Runnable> now = new ArrayList<>(pendingReads);
        pendingReads.clear();
        now.forEach(Runnable::run);
    }

    private static Throwable catchJoin(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
