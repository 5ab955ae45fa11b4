package io.simanchor.agent.token;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.simanchor.agent.metrics.LatencyHistogram;

/**
 * What the application sees of the token manager: calls, cache hits, calls that had to wait for the SIM,
 * time to token; and what the manager did: refreshes, their lead over expiry, failures, and the network
 * time of the calls it made (one input of the refresh lead). Thread-safe; a fleet may share one.
 */
public final class TokenMetrics {

    private final LongAdder calls = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder tokenRefreshes = new LongAdder();
    private final LongAdder earRefreshes = new LongAdder();
    private final LongAdder refreshFailures = new LongAdder();
    private final Map<String, LongAdder> failureReasons = new ConcurrentHashMap<>();
    private final LatencyHistogram timeToToken = new LatencyHistogram();
    private final LatencyHistogram network = new LatencyHistogram();
    private final LatencyHistogram remainingAtRefresh = new LatencyHistogram();

    void hit(long nanos) {
        calls.increment();
        hits.increment();
        timeToToken.recordNanos(nanos);
    }

    void waited(long nanos) {
        calls.increment();
        waited.increment();
        timeToToken.recordNanos(nanos);
    }

    void refusal() {
        calls.increment();
        refused.increment();
    }

    void tokenObtained() {
        tokenRefreshes.increment();
    }

    void tokenRenewed(long remainingNanos) {
        tokenRefreshes.increment();
        remainingAtRefresh.recordNanos(Math.max(0, remainingNanos));
    }

    void earRefreshed() {
        earRefreshes.increment();
    }

    void refreshFailed(String reason) {
        refreshFailures.increment();
        failureReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Failed attempts by reason ({@code 404 DEVICE_UNKNOWN}, {@code 400 invalid_grant}, {@code SIM DEVICE_ERROR}). */
    public Map<String, Long> failureReasons() {
        Map<String, Long> reasons = new TreeMap<>();
        failureReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return reasons;
    }

    /** Records the network time of one call to a service (the call's time without the SIM's). */
    public void network(long nanos) {
        network.recordNanos(nanos);
    }

    /** Calls to {@code token()}. */
    public long calls() {
        return calls.sum();
    }

    /** Calls answered from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** Calls that found no valid token and waited for one (and so for the SIM). */
    public long waited() {
        return waited.sum();
    }

    /** Calls that got no token: they would not wait, or getting one failed for good. */
    public long refused() {
        return refused.sum();
    }

    /** Share of calls answered from the cache. */
    public double hitRatio() {
        long n = calls();
        return n == 0 ? 0 : (double) hits() / n;
    }

    /** Time from {@code token()} to the token, as the application saw it (hits and waits). */
    public LatencyHistogram timeToToken() {
        return timeToToken;
    }

    /** Network time of the calls to the services. */
    public LatencyHistogram network() {
        return network;
    }

    /** How much validity the old token had left when a refresh got the new one (the refresh spread). */
    public LatencyHistogram remainingAtRefresh() {
        return remainingAtRefresh;
    }

    /** New access tokens obtained. */
    public long tokenRefreshes() {
        return tokenRefreshes.sum();
    }

    /** New EARs obtained. */
    public long earRefreshes() {
        return earRefreshes.sum();
    }

    /** Failed attempts to get a token or an EAR (each retried after a back-off unless hopeless). */
    public long refreshFailures() {
        return refreshFailures.sum();
    }
}
