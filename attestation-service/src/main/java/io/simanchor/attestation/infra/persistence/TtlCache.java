package io.simanchor.attestation.infra.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Keeps what was read from the database for a short time (absent answers too, as a value), so the appraisal
 * hot path does not query the database for data that changes a few times a year. Bounded: when full it
 * starts over, which costs reads, never correctness.
 *
 * <p>
 * A lookup never blocks its caller, which may be an event loop: a value in memory and younger than the TTL
 * comes back as a completed stage; otherwise the loader runs on {@code loads} and the stage completes when
 * it has read. Concurrent lookups of a key being loaded share that one read, so an expired key under load
 * costs one query, not one per request. A failed read is not kept: the next lookup tries again.
 */
final class TtlCache<K, V> {

    private record Entry<V>(CompletableFuture<V> loading, CompletionStage<V> value,
            Instant loadedAt) {

        Entry(CompletableFuture<V> loading, Instant loadedAt) {
            // Callers get a stage they cannot complete or cancel for the others sharing it.
            this(loading, loading.minimalCompletionStage(), loadedAt);
        }
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Function<K, V> loader;
    private final Executor loads;
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    /**
     * @param loader reads a key's value from the database; blocking
     * @param loads where the loader runs
     */
    TtlCache(Function<K, V> loader, Executor loads, Duration ttl, int maxEntries, Clock clock) {
        this.loader = loader;
        this.loads = loads;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value of {@code key}: from memory while younger than the TTL, else as soon as it has been read. */
    CompletionStage<V> get(K key) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && current(entry, now)) {
            return entry.value();
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        Entry<V> fresh = new Entry<>(new CompletableFuture<>(), now);
        Entry<V> winner = entries.compute(key,
                (k, present) -> present != null && current(present, now) ? present : fresh);
        if (winner == fresh) {
            load(key, fresh);
        }
        return winner.value();
    }

    /** Forgets {@code key}, so this instance sees its own change at once. */
    void invalidate(K key) {
        entries.remove(key);
    }

    /** Still loading, or loaded less than the TTL ago. */
    private boolean current(Entry<V> entry, Instant now) {
        return !entry.loading().isDone() || entry.loadedAt().plus(ttl).isAfter(now);
    }

    private void load(K key, Entry<V> entry) {
        entry.loading().whenComplete((value, failure) -> {
            if (failure != null) {
                entries.remove(key, entry);
            }
        });
        try {
            loads.execute(() -> {
                try {
                    entry.loading().complete(loader.apply(key));
                } catch (RuntimeException | Error e) {
                    // Completed either way: callers waiting on the stage must not wait forever.
                    entry.loading().completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            entry.loading().completeExceptionally(rejected);
        }
    }
}
