package io.simanchor.attestation.infra.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps what was read from the database for a short time, absent answers included, so the appraisal
 * hot path does not query the database for data that changes a few times a year. Bounded: when full it
 * starts over, which costs reads, never correctness.
 */
final class TtlCache<K, V> {

    private record Entry<V>(Optional<V> value, Instant loadedAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    TtlCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The cached value of {@code key}, loaded with {@code loader} when absent or older than the TTL. */
    Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.loadedAt().plus(ttl).isAfter(now)) {
            return entry.value();
        }
        Optional<V> value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now));
        return value;
    }

    /** Forgets {@code key}, so this instance sees its own change at once. */
    void invalidate(K key) {
        entries.remove(key);
    }
}
