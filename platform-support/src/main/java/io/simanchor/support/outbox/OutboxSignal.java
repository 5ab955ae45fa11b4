package io.simanchor.support.outbox;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the outbox relay right after a commit, so events leave within milliseconds instead of at the
 * next poll. The relay still polls, which covers other instances' commits.
 */
public final class OutboxSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    private boolean signalled;

    /** Marks that events are waiting. */
    public void wakeUp() {
        lock.lock();
        try {
            signalled = true;
            pending.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or {@code millis} pass; returns at once if woken since the last call. */
    public void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!signalled && nanos > 0) {
                nanos = pending.awaitNanos(nanos);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }
}
