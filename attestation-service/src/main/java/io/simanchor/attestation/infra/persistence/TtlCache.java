package io.simanchor.attestation.infra.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.runtime.CompletionFailures;

/**
 * Keeps what was read from the database (absent answers too, as a value), so the appraisal hot path does
 * not query the database for data that changes a few times a year. Bounded: when full it starts over,
 * which costs reads, never correctness.
 *
 * <p>
 * A lookup never blocks its caller, which may be an event loop, and a key in use does not wait either:
 * <ul>
 * <li>Younger than the TTL, a value is returned from memory.</li>
 * <li>Between one and two TTLs old, it is still returned, at once, while one read on {@code loads}
 * replaces it (refresh ahead), so a key looked up at least once per TTL never waits for the database.</li>
 * <li>Never read, {@linkplain #invalidate invalidated}, or two TTLs old or more (a key nobody looked up
 * for a while), lookups wait for a read: a change made through another instance applies here within two
 * TTLs at most. If the read fails or has not answered within {@code deadline}, the value held before is
 * used if there is one (the database is down: the last policy read is the best there is); if there is
 * none, the lookups fail with {@link PersistenceException} (503), instead of waiting for a hung database.</li>
 * </ul>
 * At most one read per key is under way at any time, even when one hangs: lookups after a deadline wait
 * for the same read, so a slow database still fills the cache.
 */
final class TtlCache<K, V> {

    private static final Logger LOG = Logger.getLogger(TtlCache.class);
    /** How long after a failed read the key is read again while its old value is used. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** A key's value, being read or read at some point. */
    private static final class Entry<V> {

        private final CompletableFuture<V> loading;
        /** What callers get: a stage they cannot complete or cancel for the others sharing it. */
        private final CompletionStage<V> value;
        private final AtomicBoolean refreshing = new AtomicBoolean();
        /** When to read the value again; null until it has been read. */
        private volatile Instant refreshAt;

        private Entry(CompletableFuture<V> loading, Instant refreshAt) {
            this.loading = loading;
            this.value = loading.minimalCompletionStage();
            this.refreshAt = refreshAt;
        }

        private boolean failed() {
            return loading.isCompletedExceptionally();
        }

        /** The value, if it has been read. */
        private Optional<V> held() {
            return loading.isDone() && !loading.isCompletedExceptionally()
                    ? Optional.of(loading.join())
                    : Optional.empty();
        }
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<K, CompletableFuture<V>> reading = new ConcurrentHashMap<>();
    private final AtomicLong failedReads = new AtomicLong();
    private final Function<K, V> loader;
    private final Executor loads;
    private final Duration ttl;
    private final Duration deadline;
    private final int maxEntries;
    private final Clock clock;

    /**
     * @param loader reads a key's value from the database; blocking
     * @param loads where the loader runs
     * @param deadline how long lookups wait for a read before they fail or use the value held before
     */
    TtlCache(Function<K, V> loader, Executor loads, Duration ttl, Duration deadline, int maxEntries, Clock clock) {
        this.loader = loader;
        this.loads = loads;
        this.ttl = ttl;
        this.deadline = deadline;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value of {@code key}: from memory while it is recent, else once it has been read. */
    CompletionStage<V> get(K key) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && !entry.failed()) {
            Instant refreshAt = entry.refreshAt;
            if (refreshAt == null || now.isBefore(refreshAt)) {
                return entry.value; // being read for the first time, or recent
            }
            if (now.isBefore(refreshAt.plus(ttl))) {
                refresh(key, entry);
                return entry.value;
            }
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        Entry<V> fresh = new Entry<>(new CompletableFuture<>(), null);
        Entry<V> winner = entries.compute(key, (k, present) -> present == null || present == entry || present.failed()
                ? fresh
                : present);
        if (winner == fresh) {
            readInto(key, fresh, entry == null ? Optional.empty() : entry.held());
        }
        return winner.value;
    }

    /** Forgets {@code key}, so this instance sees its own change at once. */
    void invalidate(K key) {
        entries.remove(key);
        // A read under way may have begun before the change: the next lookup starts its own.
        reading.remove(key);
    }

    /** Completes {@code fresh} with a read of {@code key}, or with {@code held} if that read fails. */
    private void readInto(K key, Entry<V> fresh, Optional<V> held) {
        CompletableFuture<V> read = read(key);
        // On a copy: the deadline is this lookup's, not the read's, which later lookups may still share.
        read.copy().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            Throwable cause = CompletionFailures.cause(failure);
            if (cause == null) {
                complete(fresh, value, ttl);
            } else if (held.isPresent()) {
                logFailedRead(key, cause);
                complete(fresh, held.get(), RETRY_AFTER);
            } else {
                entries.remove(key, fresh);
                fresh.loading.completeExceptionally(cause instanceof TimeoutException
                        ? new PersistenceException("not read within " + deadline.toMillis() + " ms")
                        : cause);
            }
        });
    }

    /** Replaces {@code stale} with a read of {@code key}; one refresh per entry, until that read returns. */
    private void refresh(K key, Entry<V> stale) {
        if (!stale.refreshing.compareAndSet(false, true)) {
            return;
        }
        read(key).whenComplete((value, failure) -> {
            if (failure == null) {
                entries.replace(key, stale, new Entry<>(CompletableFuture.completedFuture(value), refreshAt(ttl)));
            } else {
                logFailedRead(key, CompletionFailures.cause(failure));
                stale.refreshAt = refreshAt(RETRY_AFTER);
            }
            stale.refreshing.set(false);
        });
    }

    private void complete(Entry<V> entry, V value, Duration refreshIn) {
        try {
            // Before completing, so whoever sees the value also sees when to refresh it.
            entry.refreshAt = refreshAt(refreshIn);
        } finally {
            entry.loading.complete(value);
        }
    }

    /**
     * The read of {@code key} under way, or a new one on {@code loads}: never two at once for one key, so a
     * hung database holds at most one worker per key. Callers must not complete it.
     */
    private CompletableFuture<V> read(K key) {
        CompletableFuture<V> started = new CompletableFuture<>();
        CompletableFuture<V> underWay = reading.putIfAbsent(key, started);
        if (underWay != null) {
            return underWay;
        }
        started.whenComplete((value, failure) -> reading.remove(key, started));
        try {
            loads.execute(() -> {
                try {
                    started.complete(loader.apply(key));
                } catch (RuntimeException | Error e) {
                    // Completed either way: lookups waiting on it must not wait forever.
                    started.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            started.completeExceptionally(rejected);
        }
        return started;
    }

    private Instant refreshAt(Duration in) {
        return clock.instant().plus(in);
    }

    /** Logged once, then at every power of two, while the database keeps failing. */
    private void logFailedRead(K key, Throwable failure) {
        long count = failedReads.incrementAndGet();
        if (Long.bitCount(count) == 1) {
            LOG.warnf("Kept the value held for %s: it could not be read again (%d failed reads so far) [cause: %s]",
                    key, count, failure instanceof TimeoutException ? "no answer in time" : failure.getMessage());
        }
    }
}
