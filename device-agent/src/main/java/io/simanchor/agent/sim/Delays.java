package io.simanchor.agent.sim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Time passing without a blocked thread: the simulated SIM's operations, back-off waits and scheduled
 * refreshes complete through it. Ten thousand simulated devices share one timer; tests use a virtual clock
 * and advance it instead of sleeping.
 */
public interface Delays {

    /** Completes once {@code delay} has passed. */
    CompletionStage<Void> after(Duration delay);

    /** Monotonic time in nanoseconds, on the same clock as {@link #after}. */
    long nanoTime();

    /** Delays on a scheduler and the system's monotonic clock. */
    static Delays on(ScheduledExecutorService scheduler) {
        return new Delays() {

            @Override
            public CompletionStage<Void> after(Duration delay) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                scheduler.schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
                return done;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };
    }
}
