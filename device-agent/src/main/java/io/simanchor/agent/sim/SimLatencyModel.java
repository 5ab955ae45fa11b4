package io.simanchor.agent.sim;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long an IoT SAFE SIM takes, per operation, as measured through the vendor's PKCS#11 library
 * (../shared/reference/iot-safe-latency.md, Table 3): a signature on an open session ≈ Normal(476.5 ms,
 * 9.2 ms); opening a session, logging in and finding the key ≈ 201 ms more, with a heavy tail (4 % of full
 * sequences over 1 s, P99 ≈ 1.74 s).
 * <p>
 * The session set-up is a mixture fitted to the table: most of the time Normal({@code setupMeanMs},
 * {@code setupSigmaMs}), with probability {@code tailShare} Uniform({@code tailMinMs}, {@code tailMaxMs}).
 * With the {@link #STUDY} values the full sequence has mean 677 ms, σ ≈ 180 ms, P50 642 ms, P90 672 ms,
 * P99 ≈ 1.74 s and 4 % over 1 s, as measured; {@code SimLatencyModelTest} and {@code device-agent
 * sim-latency} check it.
 *
 * @param signMeanMs mean of C_SignInit + C_Sign on an open session
 * @param signSigmaMs its standard deviation
 * @param setupMeanMs mean of C_OpenSession + C_Login + C_FindObjects outside the tail
 * @param setupSigmaMs its standard deviation
 * @param tailShare share of session set-ups in the slow tail
 * @param tailMinMs shortest set-up in the tail
 * @param tailMaxMs longest set-up in the tail
 */
public record SimLatencyModel(double signMeanMs, double signSigmaMs, double setupMeanMs, double setupSigmaMs,
        double tailShare, double tailMinMs, double tailMaxMs) {

    /** The measured SIM of the study. */
    public static final SimLatencyModel STUDY = new SimLatencyModel(476.5, 9.2, 165.5, 17.2, 0.04, 648, 1468);

    public SimLatencyModel {
        if (signMeanMs < 0 || signSigmaMs < 0 || setupMeanMs < 0 || setupSigmaMs < 0 || tailShare < 0
                || tailShare > 1 || tailMinMs > tailMaxMs) {
            throw new IllegalArgumentException("inconsistent SIM latency model");
        }
    }

    /** A model whose operations take no time: the SIM discipline without the wait, for tests. */
    public static SimLatencyModel instant() {
        return new SimLatencyModel(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Time of one signature on an open session. The draws are a simulation, not security: a seeded
     * generator makes a run reproducible; the agent passes a {@link java.security.SecureRandom}.
     */
    public Duration signature(RandomGenerator random) {
        return millis(normal(random, signMeanMs, signSigmaMs));
    }

    /** Time to open a session, log in and find the key. */
    public Duration sessionSetup(RandomGenerator random) {
        if (random.nextDouble() < tailShare) {
            return millis(tailMinMs + random.nextDouble() * (tailMaxMs - tailMinMs));
        }
        return millis(normal(random, setupMeanMs, setupSigmaMs));
    }

    private static double normal(RandomGenerator random, double mean, double sigma) {
        return Math.max(0, mean + sigma * random.nextGaussian());
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }
}
