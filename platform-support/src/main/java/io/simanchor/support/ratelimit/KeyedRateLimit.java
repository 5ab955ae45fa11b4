package io.simanchor.support.ratelimit;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a source address, an ICCID, a device id), in bounded memory: a flood of distinct
 * keys must not grow the map without end. When {@code maxTracked} keys are tracked, idle ones (full buckets)
 * are forgotten (at most once a second); until that frees room, every new key shares one overflow bucket of
 * the same rate, so the flood as a whole gets one key's share. Keys tracked before keep their own buckets.
 */
public final class KeyedRateLimit {

    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    /**
     * A rate.
     *
     * @param perSecond sustained requests a second
     * @param burst requests at once
     */
    public record Limit(double perSecond, int burst) {

        public Limit {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a limit needs a positive rate and a burst of at least 1");
            }
        }
    }

    private final Limit limit;
    private final int maxTracked;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final TokenBucket overflow;
    private final AtomicLong lastSweep;

    public KeyedRateLimit(Limit limit, int maxTracked, LongSupplier nanoTime) {
        this.limit = limit;
        this.maxTracked = maxTracked;
        this.nanoTime = nanoTime;
        this.overflow = new TokenBucket(limit.perSecond(), limit.burst(), nanoTime.getAsLong());
        this.lastSweep = new AtomicLong(nanoTime.getAsLong() - SWEEP_INTERVAL_NANOS);
    }

    /** Takes one request of {@code key}: empty if allowed, else how long to wait. */
    public Optional<Duration> take(String key) {
        long now = nanoTime.getAsLong();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxTracked) {
                sweepAtMostOnceASecond(now);
            }
            bucket = buckets.size() < maxTracked
                    ? buckets.computeIfAbsent(key, k -> new TokenBucket(limit.perSecond(), limit.burst(), now))
                    : overflow;
        }
        return bucket.take(now);
    }

    /**
     * A full map is swept for idle keys at most once a second: a flood of new keys would otherwise scan every
     * tracked bucket on each request, on the event loop.
     */
    private void sweepAtMostOnceASecond(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
            forgetIdle();
        }
    }

    /** Forgets keys whose bucket is full again, so the map stays as large as the keys in use. */
    public void forgetIdle() {
        long now = nanoTime.getAsLong();
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext();) {
            if (it.next().full(now)) {
                it.remove();
            }
        }
    }

    /** How many keys are tracked. */
    public int tracked() {
        return buckets.size();
    }
}
