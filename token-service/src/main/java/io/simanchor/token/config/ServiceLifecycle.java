package io.simanchor.token.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.outbox.BatchedOutbox;
import io.simanchor.support.outbox.DirectPublisher;
import io.simanchor.support.outbox.KafkaOutboxRelay;
import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.PublishedOutboxRows;
import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.runtime.PeriodicTask;
import io.simanchor.token.domain.RateLimiter;
import io.simanchor.token.infra.crypto.TokenSigningKeys;
import io.simanchor.token.infra.messaging.KafkaDeviceViews;
import io.simanchor.token.infra.persistence.PgAssertionLedger;

/**
 * Starts the service's moving parts in dependency order and stops them in reverse: signing keys (created
 * or rotated if due), the ledger, the outbox writers and the issued-event publisher, the device view, the
 * verifier's keys, the event relay, and the periodic tasks (key ring refresh, verifier key refresh,
 * housekeeping).
 */
@ApplicationScoped
public class ServiceLifecycle {

    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);
    /** Advisory lock key: "simanchor token outbox". */
    private static final long RELAY_LOCK = 0x5349_4d41_4f42_0004L;
    private static final int HOUSEKEEPING_CHUNK = 10_000;
    /** How often the verifier's keys are checked; fetched only when due or not yet fetched. */
    private static final Duration VERIFIER_KEY_CHECK = Duration.ofSeconds(2);

    private final TokenSigningKeys keys;
    private final PgAssertionLedger ledger;
    private final BatchedOutbox refusals;
    private final BatchedOutbox issuedOutbox;
    private final DirectPublisher issuedEvents;
    private final KafkaDeviceViews devices;
    private final PublishedKeys verifierKeys;
    private final RateLimiter rateLimiter;
    private final KafkaOutboxRelay relay;
    private final Jdbc jdbc;
    private final TokenConfig config;
    private final Clock clock;
    private final List<PeriodicTask> tasks = new ArrayList<>();

    ServiceLifecycle(TokenSigningKeys keys, PgAssertionLedger ledger,
            @Named(ServiceWiring.REFUSALS) BatchedOutbox refusals,
            @Named(ServiceWiring.ISSUED) BatchedOutbox issuedOutbox,
            DirectPublisher issuedEvents, KafkaDeviceViews devices, PublishedKeys verifierKeys, RateLimiter rateLimiter,
            DataSource dataSource,
            OutboxSignal signal, Jdbc jdbc, TokenConfig config, Clock clock,
            KafkaConnection kafka) {
        this.keys = keys;
        this.ledger = ledger;
        this.refusals = refusals;
        this.issuedOutbox = issuedOutbox;
        this.issuedEvents = issuedEvents;
        this.devices = devices;
        this.verifierKeys = verifierKeys;
        this.rateLimiter = rateLimiter;
        this.jdbc = jdbc;
        this.config = config;
        this.clock = clock;
        OutboxRelayConfig events = config.events();
        this.relay = new KafkaOutboxRelay(dataSource, signal, events.relaySettings("token-service", RELAY_LOCK,
                kafka, ServiceWiring.eventTopics(config), config.housekeeping().outboxRetention()));
    }

    void start(@Observes StartupEvent event) {
        keys.start();
        ledger.start();
        refusals.start();
        issuedOutbox.start();
        issuedEvents.start();
        devices.start();
        verifierKeys.refreshIfDue();
        relay.start();
        tasks.add(PeriodicTask.start("signing-key-refresh", config.keys().refresh(), keys::refresh));
        tasks.add(PeriodicTask.start("verifier-key-refresh", VERIFIER_KEY_CHECK, verifierKeys::refreshIfDue));
        tasks.add(PeriodicTask.start("rate-limiter-cleanup", Duration.ofMinutes(1), rateLimiter::forgetIdle));
        tasks.add(PeriodicTask.start("housekeeping", config.housekeeping().interval(), this::housekeeping));
        LOG.infof("token-service started [issuer: %s, signing kid: %s, verifier keys: %d]", config.issuer(),
                keys.currentKeyId(), verifierKeys.size());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        tasks.forEach(PeriodicTask::close);
        relay.stop();
        // Before the outbox: what the producer still holds goes there if Kafka does not take it.
        issuedEvents.close();
        devices.close();
        refusals.close();
        issuedOutbox.close();
        ledger.close();
    }

    private void housekeeping() {
        int assertions = jdbc.deleteInChunks("delete from used_assertion where assertion_id in (select assertion_id"
                + " from used_assertion where expires_at < ? limit " + HOUSEKEEPING_CHUNK + ")",
                clock.instant().minus(FirstUseLedger.FORGET_AFTER), HOUSEKEEPING_CHUNK);
        int outbox = PublishedOutboxRows.removePublishedBefore(jdbc,
                clock.instant().minus(config.housekeeping().outboxRetention()));
        if (assertions + outbox > 0) {
            LOG.infof("Housekeeping removed %d used-assertion records and %d published outbox rows", assertions,
                    outbox);
        }
    }
}
