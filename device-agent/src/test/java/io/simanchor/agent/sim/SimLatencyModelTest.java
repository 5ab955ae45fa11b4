package io.simanchor.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.simanchor.agent.metrics.LatencyHistogram;

/** The simulated SIM against Table 3 of ../shared/reference/iot-safe-latency.md. */
class SimLatencyModelTest {

    private static final int SAMPLES = 200_000;

    @Test
    void signature_on_an_open_session_matches_the_study() {
        Random random = new Random(1);
        LatencyHistogram signOnly = new LatencyHistogram();
        for (int i = 0; i < SAMPLES; i++) {
            signOnly.record(SimLatencyModel.STUDY.signature(random));
        }

        assertThat(signOnly.meanMillis()).isCloseTo(476.5, within(476.5 * 0.05));
        assertThat(signOnly.percentileMillis(99)).isCloseTo(494.8, within(494.8 * 0.05));
        assertThat(signOnly.shareAbove(Duration.ofSeconds(1))).isZero();
    }

    @Test
    void full_sequence_matches_the_study_with_its_tail() {
        Random random = new Random(2);
        LatencyHistogram full = new LatencyHistogram();
        for (int i = 0; i < SAMPLES; i++) {
            full.record(SimLatencyModel.STUDY.sessionSetup(random).plus(SimLatencyModel.STUDY.signature(random)));
        }

        assertThat(full.meanMillis()).isCloseTo(677.7, within(677.7 * 0.05));
        assertThat(full.percentileMillis(50)).isCloseTo(642.2, within(642.2 * 0.05));
        assertThat(full.percentileMillis(90)).isCloseTo(671.9, within(671.9 * 0.05));
        assertThat(full.percentileMillis(99)).isCloseTo(1739.4, within(1739.4 * 0.10));
        assertThat(full.shareAbove(Duration.ofSeconds(1))).isCloseTo(0.04, within(0.005));
    }

    @Test
    void instant_model_takes_no_time() {
        Random random = new Random(3);

        assertThat(SimLatencyModel.instant().signature(random)).isZero();
        assertThat(SimLatencyModel.instant().sessionSetup(random)).isZero();
    }
}
