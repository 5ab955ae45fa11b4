package io.simanchor.identity.infra.persistence;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.support.outbox.PublishedOutboxRows;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.runtime.PeriodicTask;

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
    private PeriodicTask task;

    Housekeeping(Jdbc jdbc, IdentityConfig config, Clock clock) {
        this.jdbc = jdbc;
        this.config = config.housekeeping();
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicTask.start("housekeeping", config.interval(), this::runAndReport);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.close();
        }
    }

    /** One pass; returns the number of rows removed. */
    public Removed runOnce() {
        Instant now = clock.instant();
        int challenges = jdbc.deleteInChunks("delete from used_challenge where serial in "
                + "(select serial from used_challenge where expires_at < ? limit " + CHUNK + ")",
                now.minus(config.challengeRetention()), CHUNK);
        int outbox = PublishedOutboxRows.removePublishedBefore(jdbc, now.minus(config.outboxRetention()));
        return new Removed(challenges, outbox);
    }

    /** Rows removed by one pass. */
    public record Removed(int challenges, int outboxRows) {
    }

    private void runAndReport() {
        Removed removed = runOnce();
        if (removed.challenges() + removed.outboxRows() > 0) {
            LOG.infof("Housekeeping removed %d records of expired challenges and %d published outbox rows",
                    removed.challenges(), removed.outboxRows());
        }
    }
}
