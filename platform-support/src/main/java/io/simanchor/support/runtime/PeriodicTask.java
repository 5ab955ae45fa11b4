package io.simanchor.support.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Runs a maintenance task on its own daemon thread at a fixed delay. A failing run is logged and the
 * task runs again at the next interval: maintenance must never take the service down.
 */
public final class PeriodicTask implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeriodicTask.class);

    private final ScheduledExecutorService scheduler;

    private PeriodicTask(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts {@code task} on a thread named {@code name}, first after one {@code interval}. */
    public static PeriodicTask start(String name, Duration interval, Runnable task) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("%s failed, will retry at the next interval [cause: %s]", name, e.toString());
            } catch (Error e) {
                // Not rethrown: the executor would end the task without a word (a NoSuchMethodError from a
                // stale build once stopped the MUD publisher so, with nothing in the log). A passing error,
                // memory say, must not stop key refresh or publishing for good.
                LOG.errorf(e, "%s failed with an error, will retry at the next interval", name);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return new PeriodicTask(scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
