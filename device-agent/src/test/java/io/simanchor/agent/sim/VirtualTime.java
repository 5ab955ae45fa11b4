package io.simanchor.agent.sim;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Delays on a clock that moves only when a test advances it: SIM waits and back-offs without sleeping. */
public final class VirtualTime implements Delays {

    private record Timer(long dueNanos, long sequence, CompletableFuture<Void> done) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.dueNanos() != b.dueNanos()
                    ? Long.compare(a.dueNanos(), b.dueNanos())
                    : Long.compare(a.sequence(), b.sequence()));
    private long now;
    private long sequence;

    @Override
    public synchronized CompletionStage<Void> after(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timers.add(new Timer(now + Math.max(0, delay.toNanos()), sequence++, done));
        return done;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Moves the clock forward by {@code duration}, firing every timer due on the way, in order. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.dueNanos() > target) {
                    now = target;
                    return;
                }
                timers.poll();
                now = next.dueNanos();
            }
            next.done().complete(null);
        }
    }

    /** Advances until no timer is pending (timers may schedule further timers), at most {@code limit}. */
    public void runUntilIdle(Duration limit) {
        long end;
        synchronized (this) {
            end = now + limit.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.dueNanos() > end) {
                    return;
                }
            }
            advance(Duration.ofNanos(next.dueNanos() - nanoTime()));
        }
    }

    /** Time elapsed since the start, in milliseconds. */
    public synchronized double millis() {
        return now / 1e6;
    }
}
