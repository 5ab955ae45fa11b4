package io.simanchor.agent.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.simanchor.agent.metrics.LatencyHistogram;

/**
 * What the IoT SAFE study asks a device to monitor about its SIM (iot-safe-latency.md, "What the study
 * recommends"): signing success rate and time, how often the session was reused, SIM access errors.
 * Thread-safe; one instance may gather a whole simulated fleet.
 */
public final class SigningMetrics {

    private final LatencyHistogram signingTime = new LatencyHistogram();
    private final LatencyHistogram queueWait = new LatencyHistogram();
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder sessionsReused = new LongAdder();
    private final Map<SecureElementException.Reason, LongAdder> errors = new EnumMap<>(
            SecureElementException.Reason.class);

    public SigningMetrics() {
        for (SecureElementException.Reason reason : SecureElementException.Reason.values()) {
            errors.put(reason, new LongAdder());
        }
    }

    void signed(long nanos, boolean sessionOpened) {
        signingTime.recordNanos(nanos);
        (sessionOpened ? sessionsOpened : sessionsReused).increment();
    }

    void failed(SecureElementException.Reason reason) {
        errors.get(reason).increment();
    }

    void waited(long nanos) {
        queueWait.recordNanos(nanos);
    }

    /** Time of successful signatures, in the element (queue wait excluded). */
    public LatencyHistogram signingTime() {
        return signingTime;
    }

    /** Time operations waited in the SIM queue behind others. */
    public LatencyHistogram queueWait() {
        return queueWait;
    }

    /** Successful signatures. */
    public long signatures() {
        return signingTime.count();
    }

    /** Signatures that needed a new session (open, log in, find the key). */
    public long sessionsOpened() {
        return sessionsOpened.sum();
    }

    /** Signatures made on a session that was already open. */
    public long sessionsReused() {
        return sessionsReused.sum();
    }

    /** Failed operations for {@code reason}. */
    public long errors(SecureElementException.Reason reason) {
        return errors.get(reason).sum();
    }

    /** Failed operations, all reasons. */
    public long errors() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Successful signatures over all attempts (1 when nothing was attempted). */
    public double successRate() {
        long attempts = signatures() + errors();
        return attempts == 0 ? 1 : (double) signatures() / attempts;
    }

    /** Failures by reason, only those that happened. */
    public Map<SecureElementException.Reason, Long> errorsByReason() {
        Map<SecureElementException.Reason, Long> happened = new EnumMap<>(SecureElementException.Reason.class);
        errors.forEach((reason, count) -> {
            if (count.sum() > 0) {
                happened.put(reason, count.sum());
            }
        });
        return happened;
    }
}
