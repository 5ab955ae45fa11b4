package io.simanchor.identity.infra.persistence;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.support.persistence.Jdbc;

/**
 * Removes expired challenges and published outbox rows, which otherwise grow with every enrollment a
 * fleet makes. Deletes in chunks so that no run holds many row locks or one long transaction. Several
 * instances may run it at once: the deletes are idempotent. The audit log is never touched.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final int CHUNK = 10_000;

    private final Jdbc jdbc;
    private final IdentityConfig.Housekeeping config;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    Housekeeping(Jdbc jdbc, IdentityConfig config, Clock clock) {
        this.jdbc = jdbc;
        this.config = config.housekeeping();
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One pass; returns the number of rows removed. */
    public Removed runOnce() {
        Instant now = clock.instant();
        int challenges = jdbc.deleteInChunks("delete from challenge where id in "
                + "(select id from challenge where expires_at < ? limit " + CHUNK + ")",
                now.minus(config.challengeRetention()), CHUNK);
        int outbox = jdbc.deleteInChunks("delete from outbox where id in (select id from outbox "
                + "where published_at is not null and published_at < ? limit " + CHUNK + ")",
                now.minus(config.outboxRetention()), CHUNK);
        return new Removed(challenges, outbox);
    }

    /** Rows removed by one pass. */
    public record Removed(int challenges, int outboxRows) {
    }

    private void runSafely() {
        try {
            Removed removed = runOnce();
            if (removed.challenges() + removed.outboxRows() > 0) {
                LOG.infof("Housekeeping removed %d expired challenges and %d published outbox rows",
                        removed.challenges(), removed.outboxRows());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Housekeeping failed, will retry at the next interval [cause: %s]", e.toString());
        }
    }
}
