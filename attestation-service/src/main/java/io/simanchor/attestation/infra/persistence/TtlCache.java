package io.simanchor.attestation.infra.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.simanchor.support.persistence.PersistenceException;

/**
 * Keeps what was read from the database (absent answers too, as a value), so the appraisal hot path does
 * not query the database for data that changes a few times a year. Bounded: when full it starts over,
 * which costs reads, never correctness.
 *
 * <p>
 * A lookup never blocks its caller, which may be an event loop, and once a key has been read it never
 * waits either:
 * <ul>
 * <li>A key never read (or {@linkplain #invalidate invalidated}) is read on {@code loads}; its lookups
 * complete when that one read has, whoever asked first, and fail with {@link PersistenceException} if it
 * has not answered within {@code deadline} (a hung database gets a 503, not requests that wait forever).
 * A failed read is not kept.</li>
 * <li>A value older than the TTL is still returned, at once, while one read on {@code loads} replaces it
 * (refresh ahead): other instances' changes arrive within the TTL plus one read. If that read fails, the
 * value in memory is kept and the read is tried again a second later.</li>
 * </ul>
 */
final class TtlCache<K, V> {

    private static final Logger LOG = Logger.getLogger(TtlCache.class);
    /** How long after a failed refresh the next one is tried. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** A key's value, being read for the first time or read at some point. */
    private static final class Entry<V> {

        private final CompletableFuture<V> loading;
        /** What callers get: a stage they cannot complete or cancel for the others sharing it. */
        private final CompletionStage<V> value;
        private final AtomicBoolean refreshing = new AtomicBoolean();
        /** When to read the value again; null until the first read has completed. */
        private volatile Instant refreshAt;

        private Entry(CompletableFuture<V> loading, Instant refreshAt) {
            this.loading = loading;
            this.value = loading.minimalCompletionStage();
            this.refreshAt = refreshAt;
        }

        private boolean failed() {
            return loading.isCompletedExceptionally();
        }
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Function<K, V> loader;
    private final Executor loads;
    private final Duration ttl;
    private final Duration deadline;
    private final int maxEntries;
    private final Clock clock;

    /**
     * @param loader reads a key's value from the database; blocking
     * @param loads where the loader runs
     * @param deadline how long callers wait for a key's first read before it fails
     */
    TtlCache(Function<K, V> loader, Executor loads, Duration ttl, Duration deadline, int maxEntries, Clock clock) {
        this.loader = loader;
        this.loads = loads;
        this.ttl = ttl;
        this.deadline = deadline;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value of {@code key}: from memory if it was ever read, else as soon as it has been. */
    CompletionStage<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry != null && !entry.failed()) {
            Instant refreshAt = entry.refreshAt;
            if (refreshAt != null && !clock.instant().isBefore(refreshAt)) {
                refresh(key, entry);
            }
            return entry.value;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        Entry<V> fresh = new Entry<>(new CompletableFuture<>(), null);
        Entry<V> winner = entries.compute(key, (k, present) -> present != null && !present.failed() ? present : fresh);
        if (winner == fresh) {
            read(key).whenComplete((value, failure) -> {
                if (failure == null) {
                    // Before completing, so whoever sees the value also sees when to refresh it.
                    fresh.refreshAt = clock.instant().plus(ttl);
                    fresh.loading.complete(value);
                } else {
                    entries.remove(key, fresh);
                    fresh.loading.completeExceptionally(failure);
                }
            });
        }
        return winner.value;
    }

    /** Forgets {@code key}, so this instance sees its own change at once. */
    void invalidate(K key) {
        entries.remove(key);
    }

    /** Replaces {@code stale} once read again; one read at a time per entry. */
    private void refresh(K key, Entry<V> stale) {
        if (!stale.refreshing.compareAndSet(false, true)) {
            return;
        }
        read(key).whenComplete((value, failure) -> {
            if (failure == null) {
                entries.replace(key, stale, new Entry<>(CompletableFuture.completedFuture(value),
                        clock.instant().plus(ttl)));
            } else {
                LOG.warnf("Kept the cached value of %s: it could not be read again [cause: %s]", key,
                        failure.getMessage());
                stale.refreshAt = clock.instant().plus(RETRY_AFTER);
                stale.refreshing.set(false);
            }
        });
    }

    /** The loader's answer on {@code loads}, or a failure once the deadline has passed. */
    private CompletableFuture<V> read(K key) {
        CompletableFuture<V> read = new CompletableFuture<>();
        try {
            loads.execute(() -> {
                try {
                    read.complete(loader.apply(key));
                } catch (RuntimeException | Error e) {
                    // Completed either way: callers waiting on the stage must not wait forever.
                    read.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            read.completeExceptionally(rejected);
        }
        CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> read.completeExceptionally(
                        new PersistenceException("not read within " + deadline.toMillis() + " ms")));
        return read;
    }
}
