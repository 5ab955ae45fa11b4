package io.simanchor.attestation.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.testing.MutableClock;

/**
 * The cache of policies and reference values answers lookups without ever reading on the caller's thread
 * (an event loop), and without waiting at all once a key has been read: reads run on the given executor,
 * here one the test runs by hand.
 */
class TtlCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
    private final List<Runnable> pendingReads = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicBoolean databaseDown = new AtomicBoolean();
    private final TtlCache<String, String> cache = new TtlCache<>(this::read, pendingReads::add, TTL, DEADLINE, 100,
            clock);

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
    void a_value_older_than_the_ttl_is_returned_at_once_while_one_read_replaces_it() {
        lookUpModelAndRunReads();
        clock.advance(TTL.minusMillis(1));
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
        assertThat(pendingReads).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
        assertThat(pendingReads).hasSize(1);

        runPendingReads();
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#2");
        assertThat(pendingReads).isEmpty();
    }

    @Test
    void a_refresh_that_fails_keeps_the_value_and_is_tried_again_a_second_later() {
        lookUpModelAndRunReads();
        clock.advance(TTL);
        databaseDown.set(true);
        lookUpModelAndRunReads();

        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
        assertThat(pendingReads).as("no new read before a second has passed").isEmpty();

        databaseDown.set(false);
        clock.advance(Duration.ofSeconds(1));
        lookUpModelAndRunReads();
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#3");
    }

    @Test
    void a_value_nobody_looked_up_for_two_ttls_is_read_again_before_answering() {
        lookUpModelAndRunReads();
        clock.advance(TTL.multipliedBy(2));

        CompletableFuture<String> value = cache.get("model").toCompletableFuture();
        assertThat(value).isNotDone();
        runPendingReads();
        assertThat(value).isCompletedWithValue("model#2");
    }

    @Test
    void when_that_read_fails_the_value_held_before_is_used() {
        lookUpModelAndRunReads();
        clock.advance(TTL.multipliedBy(10));
        databaseDown.set(true);

        CompletableFuture<String> value = cache.get("model").toCompletableFuture();
        runPendingReads();
        assertThat(value).isCompletedWithValue("model#1");
    }

    @Test
    void a_read_under_way_is_never_started_twice_even_when_it_hangs() {
        lookUpModelAndRunReads();
        clock.advance(TTL);
        cache.get("model");
        clock.advance(TTL);
        cache.get("model");
        cache.get("model");

        assertThat(pendingReads).hasSize(1);
    }

    @Test
    void a_refresh_under_way_when_the_key_is_invalidated_does_not_bring_back_the_old_value() {
        lookUpModelAndRunReads();
        clock.advance(TTL);
        cache.get("model"); // a refresh begins, reading what was there before the change

        cache.invalidate("model");
        CompletableFuture<String> afterTheChange = cache.get("model").toCompletableFuture();
        runPendingReads();

        assertThat(afterTheChange).isCompletedWithValue("model#3");
        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#3");
    }

    @Test
    void a_failed_first_read_fails_its_lookups_and_is_not_kept() {
        databaseDown.set(true);
        CompletableFuture<String> failed = cache.get("model").toCompletableFuture();
        runPendingReads();

        assertThat(failed).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        databaseDown.set(false);
        CompletableFuture<String> retried = cache.get("model").toCompletableFuture();
        runPendingReads();
        assertThat(retried).isCompletedWithValue("model#2");
    }

    @Test
    void a_first_read_that_hangs_fails_its_lookups_after_the_deadline() {
        TtlCache<String, String> hung = new TtlCache<>(this::read, read -> {
            // never runs: a read stuck in a dead connection
        }, TTL, Duration.ofMillis(50), 100, clock);

        assertThat(hung.get("model").toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PersistenceException.class);
    }

    @Test
    void an_executor_that_refuses_the_read_fails_the_lookup_instead_of_leaving_it_waiting() {
        TtlCache<String, String> refused = new TtlCache<>(this::read, read -> {
            throw new RejectedExecutionException("shutting down");
        }, TTL, DEADLINE, 100, clock);

        assertThat(refused.get("model").toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void invalidating_a_key_reads_it_again_before_answering() {
        lookUpModelAndRunReads();

        cache.invalidate("model");
        CompletableFuture<String> value = cache.get("model").toCompletableFuture();
        assertThat(value).isNotDone();
        runPendingReads();
        assertThat(value).isCompletedWithValue("model#2");
    }

    @Test
    void a_full_cache_starts_over() {
        TtlCache<String, String> small = new TtlCache<>(this::read, Runnable::run, TTL, DEADLINE, 2, clock);
        small.get("a");
        small.get("b");
        small.get("c");

        assertThat(small.get("a").toCompletableFuture()).isCompletedWithValue("a#4");
    }

    @Test
    void a_caller_cannot_complete_the_value_others_share() {
        CompletableFuture<String> mine = cache.get("model").toCompletableFuture();
        mine.complete("forged");
        runPendingReads();

        assertThat(cache.get("model").toCompletableFuture()).isCompletedWithValue("model#1");
    }

    private String read(String key) {
        int count = reads.incrementAndGet();
        if (databaseDown.get()) {
            throw new IllegalStateException("database down");
        }
        return key + "#" + count;
    }

    /** Looks "model" up and runs the read that starts, if one does. */
    private void lookUpModelAndRunReads() {
        cache.get("model");
        runPendingReads();
    }

    private void runPendingReads() {
        List<Runnable> now = new ArrayList<>(pendingReads);
        pendingReads.clear();
        now.forEach(Runnable::run);
    }
}
