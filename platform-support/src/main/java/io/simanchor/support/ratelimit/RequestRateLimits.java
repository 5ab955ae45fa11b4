package io.simanchor.support.ratelimit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The rate limits of a service's unauthenticated device endpoints (issue 28, point 8): per source address
 * (before the body is read, {@code SourceAddressLimit}) and per SIM or device, as soon as the request names one
 * (before its signature is verified, the device looked up or a refusal's event written; a request refused
 * before it names one, malformed, is bounded by its address's limit only).
 *
 * <p>The per-subject limit is taken before the request is authenticated, so a flood naming one ICCID or
 * device, from however many addresses, costs nothing but a counter once the subject's budget is spent; a limit
 * taken only after authentication (as token-service does for its devices) would leave every refusal's work and
 * events to the flood. The price: while such a flood goes on, the genuine device is refused too (see
 * docs/security.md). A refusal here writes nothing: refusals are counted ({@link RefusalTally}) and reported
 * in one summary event a period.
 */
public final class RequestRateLimits {

    /** What a limit is keyed by. */
    public enum Scope {
        /** The client's IP address. */
        SOURCE_ADDRESS,
        /** The SIM's ICCID (enrollment). */
        ICCID,
        /** The device id (key rotation, attestation). */
        DEVICE
    }

    static final int MAX_SUBJECT_LENGTH = 128;

    private final KeyedRateLimit bySource;
    private final KeyedRateLimit bySubject;
    private final RefusalTally refusals = new RefusalTally();

    /**
     * @param nanoTime a monotonic time in nanoseconds, {@link System#nanoTime} in service
     */
    public RequestRateLimits(KeyedRateLimit.Limit perSource, KeyedRateLimit.Limit perSubject, int maxTracked,
            LongSupplier nanoTime) {
        this.bySource = new KeyedRateLimit(perSource, maxTracked, nanoTime);
        this.bySubject = new KeyedRateLimit(perSubject, maxTracked, nanoTime);
    }

    /** Takes one request from {@code address}: empty if allowed, else how long to wait (the refusal counted). */
    public Optional<Duration> admitSource(String address) {
        Optional<Duration> wait = bySource.take(address);
        wait.ifPresent(ignored -> refusals.count(Scope.SOURCE_ADDRESS, address));
        return wait;
    }

    /**
     * Takes one request naming {@code subject}; a request naming none (malformed) is left to the source limit.
     *
     * @throws RateLimitedException when the subject's budget is spent (the refusal counted, nothing else)
     */
    public void admit(Scope scope, String subject) {
        if (subject == null) {
            return;
        }
        // The caller's string, not yet validated: a bounded key keeps a flood of long names from filling memory.
        String key = subject.length() > MAX_SUBJECT_LENGTH ? subject.substring(0, MAX_SUBJECT_LENGTH) : subject;
        Optional<Duration> wait = bySubject.take(scope.name() + ':' + key);
        if (wait.isPresent()) {
            refusals.count(scope, key);
            throw new RateLimitedException("Too many requests for this " + (scope == Scope.ICCID ? "SIM" : "device")
                    + "; retry after " + RateLimitedException.retryAfterSeconds(wait.get()) + " s", wait.get());
        }
    }

    /** Forgets addresses and subjects that have been quiet, so memory follows the clients in use. */
    public void forgetIdle() {
        bySource.forgetIdle();
        bySubject.forgetIdle();
    }

    /** The refusals counted since the last call, if there were any. */
    public Optional<RefusalTally.Summary> drainRefusals() {
        return refusals.drain();
    }
}
