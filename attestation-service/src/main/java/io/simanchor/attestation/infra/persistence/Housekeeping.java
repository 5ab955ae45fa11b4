package io.simanchor.attestation.infra.persistence;

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
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.support.persistence.Jdbc;

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
    private final AttestationConfig.Housekeeping config;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    Housekeeping(Jdbc jdbc, AttestationConfig config, Clock clock) {
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
        int nonces = jdbc.deleteInChunks("delete from consumed_nonce where nonce_id in "
                + "(select nonce_id from consumed_nonce where expires_at < ? limit " + CHUNK + ")", now, CHUNK);
        int outbox = jdbc.deleteInChunks("delete from outbox where id in (select id from outbox "
                + "where published_at is not null and published_at < ? limit " + CHUNK + ")",
                now.minus(config.outboxRetention()), CHUNK);
        return new Removed(nonces, outbox);
    }

    /** Rows removed by one pass. */
    public record Removed(int consumedNonces, int outboxRows) {
    }

    private void runSafely() {
        try {
            Removed removed = runOnce();
            if (removed.consumedNonces() + removed.outboxRows() > 0) {
                LOG.infof("Housekeeping removed %d consumed-nonce records and %d published outbox rows",
                        removed.consumedNonces(), removed.outboxRows());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Housekeeping failed, will retry at the next interval [cause: %s]", e.toString());
        }
    }
}
