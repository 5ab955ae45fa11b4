package io.simanchor.attestation.infra.persistence;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.support.outbox.PublishedOutboxRows;
import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.persistence.HousekeepingConfig;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.runtime.PeriodicTask;

/**
 * Removes consumed-nonce records of expired nonces (an expired nonce fails its own check, so its record
 * is no longer needed to refuse a replay) and published outbox rows after their retention. Millions of
 * daily attestations would otherwise grow both tables without bound. Idempotent, so every instance may
 * run it; the audit log is never touched.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final int CHUNK = 10_000;

    private final Jdbc jdbc;
    private final HousekeepingConfig config;
    private final Clock clock;
    private PeriodicTask task;

    Housekeeping(Jdbc jdbc, AttestationConfig config, Clock clock) {
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
        int nonces = jdbc.deleteInChunks("delete from consumed_nonce where nonce_id in "
                + "(select nonce_id from consumed_nonce where expires_at < ? limit " + CHUNK + ")",
                now.minus(FirstUseLedger.FORGET_AFTER), CHUNK);
        int outbox = PublishedOutboxRows.removePublishedBefore(jdbc, now.minus(config.outboxRetention()));
        return new Removed(nonces, outbox);
    }

    /** Rows removed by one pass. */
    public record Removed(int consumedNonces, int outboxRows) {
    }

    private void runAndReport() {
        Removed removed = runOnce();
        if (removed.consumedNonces() + removed.outboxRows() > 0) {
            LOG.infof("Housekeeping removed %d consumed-nonce records and %d published outbox rows",
                    removed.consumedNonces(), removed.outboxRows());
        }
    }
}
