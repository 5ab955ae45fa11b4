package io.simanchor.agent.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in microseconds, in log-linear buckets (32 per power of two, so a percentile is at most about
 * 3 % above the true value and never below it), thread-safe and of fixed size whatever the number of
 * samples: a fleet run records millions of calls.
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

    /** Records one latency. */
    public void record(Duration latency) {
        recordNanos(latency.toNanos());
    }

    /** Records one latency given in nanoseconds. */
    public void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        counts.incrementAndGet(index(micros));
        count.increment();
        sumMicros.add(micros);
        maxMicros.accumulate(micros);
    }

    /** How many latencies were recorded. */
    public long count() {
        return count.sum();
    }

    /** Mean in milliseconds (0 when empty). */
    public double meanMillis() {
        long n = count.sum();
        return n == 0 ? 0 : sumMicros.sum() / 1_000.0 / n;
    }

    /** Largest latency in milliseconds. */
    public double maxMillis() {
        return maxMicros.get() / 1_000.0;
    }

    /** The {@code percentile} (0–100) in milliseconds: the upper bound of its bucket (0 when empty). */
    public double percentileMillis(double percentile) {
        long n = count.sum();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), maxMicros.get()) / 1_000.0;
            }
        }
        return maxMillis();
    }

    /** Share (0–1) of latencies above {@code threshold}, to the histogram's precision. */
    public double shareAbove(Duration threshold) {
        long n = count.sum();
        if (n == 0) {
            return 0;
        }
        long limit = threshold.toNanos() / 1_000;
        long above = 0;
        for (int i = index(limit) + 1; i < BUCKETS; i++) {
            above += counts.get(i);
        }
        return (double) above / n;
    }

    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int shift = exponent - SUB_BUCKET_BITS;
        int sub = (int) ((micros >>> shift) & (SUB_BUCKETS - 1));
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long lower = (long) (SUB_BUCKETS + index % SUB_BUCKETS) << shift;
        return lower + (1L << shift) - 1;
    }
}
