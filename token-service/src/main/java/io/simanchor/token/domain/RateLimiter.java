package io.simanchor.token.domain;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.simanchor.support.ratelimit.TokenBucket;

/**
 * Token buckets, one for the whole instance and one per device. The global bucket is taken before any
 * signature is verified and protects the instance's CPU from a flood of forged requests. A device's bucket
 * is taken only once its assertion verified, so nobody can spend another device's share by sending
 * requests in its name. A device that floods with valid assertions spends only its own bucket: once that
 * is empty, its requests are refused on a look at it ({@link #deviceWait}) before they reach the global
 * bucket, so the flood cannot drain the instance's share and the others keep theirs.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585 §4, 429 and Retry-After</a>
 */
public final class RateLimiter {

    /**
     * Limits.
     *
     * @param perDevicePerSecond sustained requests per device
     * @param perDeviceBurst requests a device may send at once
     * @param globalPerSecond sustained requests per instance
     * @param globalBurst requests the instance takes at once
     */
    public record Limits(double perDevicePerSecond, int perDeviceBurst, double globalPerSecond, int globalBurst) {
    }

    private final Limits limits;
    private final LongSupplier nanoTime;
    private final TokenBucket global;
    private final Map<String, TokenBucket> devices = new ConcurrentHashMap<>();

    /**
     * @param nanoTime a monotonic time in nanoseconds, {@link System#nanoTime} in service: buckets refill by
     *        the time that passed, which a wall clock stepped back by NTP would stop for everyone
     */
    public RateLimiter(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.global = new TokenBucket(limits.globalPerSecond(), limits.globalBurst(), nanos());
    }

    /** Takes one request from the instance's bucket: empty if allowed, else how long to wait. */
    public Optional<Duration> acquireGlobal() {
        return global.take(nanos());
    }

    /** Takes one request from an authenticated device's bucket: empty if allowed, else how long to wait. */
    public Optional<Duration> acquireDevice(String deviceId) {
        long now = nanos();
        return devices.computeIfAbsent(deviceId,
                id -> new TokenBucket(limits.perDevicePerSecond(), limits.perDeviceBurst(), now)).take(now);
    }

    /**
     * How long a device whose bucket is empty must wait, taking nothing: empty while it has requests left,
     * and for a name no verified request has used, for which nothing is tracked.
     */
    public Optional<Duration> deviceWait(String deviceId) {
        TokenBucket bucket = devices.get(deviceId);
        return bucket == null ? Optional.empty() : bucket.waitBeforeNext(nanos());
    }

    /** Forgets devices whose bucket has been full for a while, so the map stays as large as the active fleet. */
    public void forgetIdle() {
        long now = nanos();
        for (Iterator<TokenBucket> it = devices.values().iterator(); it.hasNext();) {
            if (it.next().full(now)) {
                it.remove();
            }
        }
    }

    /** How many devices are being tracked. */
    public int trackedDevices() {
        return devices.size();
    }

    private long nanos() {
        return nanoTime.getAsLong();
    }
}
