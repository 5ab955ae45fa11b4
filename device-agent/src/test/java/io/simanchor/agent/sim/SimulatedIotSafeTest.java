package io.simanchor.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class SimulatedIotSafeTest {

    private final VirtualTime time = new VirtualTime();

    private SimulatedIotSafe sim(FaultInjection faults, SimulatedIotSafe.Sessions sessions) {
        return new SimulatedIotSafe(SoftwareSecureElement.generate(new SecureRandom()), SimLatencyModel.STUDY, faults,
                sessions, time, new Random(7));
    }

    @Test
    void first_signature_pays_the_session_set_up_and_later_ones_do_not() {
        SimulatedIotSafe sim = sim(FaultInjection.NONE, SimulatedIotSafe.Sessions.KEEP_OPEN);

        CompletableFuture<SecureElement.Signed> first = sim.sign(bytes("one")).toCompletableFuture();
        time.advance(Duration.ofMillis(600));
        assertThat(first).isNotDone();
        time.runUntilIdle(Duration.ofSeconds(3));
        double firstDone = time.millis();
        CompletableFuture<SecureElement.Signed> second = sim.sign(bytes("two")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(3));

        assertThat(first.join().sessionOpened()).isTrue();
        assertThat(second.join().sessionOpened()).isFalse();
        assertThat(time.millis() - firstDone).isBetween(440.0, 520.0);
    }

    @Test
    void naive_sessions_open_every_time() {
        SimulatedIotSafe sim = sim(FaultInjection.NONE, SimulatedIotSafe.Sessions.PER_OPERATION);

        for (int i = 0; i < 3; i++) {
            CompletableFuture<SecureElement.Signed> signed = sim.sign(bytes("m" + i)).toCompletableFuture();
            time.runUntilIdle(Duration.ofSeconds(3));
            assertThat(signed.join().sessionOpened()).isTrue();
        }
    }

    @Test
    void a_second_operation_while_one_runs_is_refused_like_a_serial_channel() {
        SimulatedIotSafe sim = sim(FaultInjection.NONE, SimulatedIotSafe.Sessions.KEEP_OPEN);

        CompletableFuture<SecureElement.Signed> first = sim.sign(bytes("one")).toCompletableFuture();
        CompletableFuture<SecureElement.Signed> second = sim.sign(bytes("two")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(3));

        assertThat(first).isCompleted();
        assertThat(second).isCompletedExceptionally();
    }

    @Test
    void injected_session_loss_fails_the_operation_and_the_next_one_opens_a_session() {
        SimulatedIotSafe sim = sim(new FaultInjection(0, 1, 0, 0), SimulatedIotSafe.Sessions.KEEP_OPEN);
        CompletableFuture<SecureElement.Signed> lost = sim.sign(bytes("one")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(3));

        assertThat(lost).isCompletedExceptionally();
        assertThat(lost.handle((s, e) -> ((SecureElementException) e.getCause()).reason()).join())
                .isEqualTo(SecureElementException.Reason.SESSION_HANDLE_INVALID);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
