package io.simanchor.mud.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.Topics;
import io.simanchor.mud.domain.MudCatalog;
import io.simanchor.mud.domain.MudPublishing;
import io.simanchor.mud.domain.PolicyManager;
import io.simanchor.mud.infra.messaging.KafkaDeviceFacts;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.outbox.KafkaOutboxRelay;
import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.PublishedOutboxRows;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.runtime.PeriodicTask;

/**
 * Starts the service's moving parts in dependency order and stops them in reverse: the MUD files, the
 * device facts from Kafka, the MUD manager's publisher, the event relay and housekeeping.
 */
@ApplicationScoped
public class ServiceLifecycle {

    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);
    /** Advisory lock key: "simanchor mud outbox". */
    private static final long RELAY_LOCK = 0x5349_4d41_4f42_0003L;

    private final MudCatalog catalog;
    private final MudPublishing publishing;
    private final PolicyManager manager;
    private final KafkaDeviceFacts facts;
    private final KafkaOutboxRelay relay;
    private final Jdbc jdbc;
    private final MudConfig config;
    private final Clock clock;
    private final List<PeriodicTask> tasks = new ArrayList<>();
    private volatile boolean settled;

    ServiceLifecycle(MudCatalog catalog, MudPublishing publishing, PolicyManager manager, KafkaDeviceFacts facts,
            DataSource dataSource, OutboxSignal signal, Jdbc jdbc, MudConfig config, Clock clock,
            KafkaConnection kafka) {
        this.catalog = catalog;
        this.publishing = publishing;
        this.manager = manager;
        this.facts = facts;
        this.jdbc = jdbc;
        this.config = config;
        this.clock = clock;
        OutboxRelayConfig events = config.events();
        this.relay = new KafkaOutboxRelay(dataSource, signal, events.relaySettings("mud-service", RELAY_LOCK,
                kafka, List.of(events.compactedTopic(Topics.MUD_POLICIES),
                        events.topic(Topics.SECURITY_EVENTS)),
                config.housekeeping().outboxRetention()));
    }

    void start(@Observes StartupEvent event) {
        refreshCatalog();
        facts.start();
        relay.start();
        tasks.add(PeriodicTask.start("mud-catalog-refresh", config.manager().catalogRefresh(), this::refreshCatalog));
        tasks.add(PeriodicTask.start("mud-policy-publisher", config.manager().interval(), this::publish));
        tasks.add(PeriodicTask.start("housekeeping", config.housekeeping().interval(), this::housekeeping));
        LOG.infof("mud-service started [MUD files: %d, public base: %s]", publishing.currentVersions().size(),
                config.publicBaseUrl());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        tasks.forEach(PeriodicTask::close);
        relay.stop();
        facts.close();
    }

    /**
     * Whether the MUD manager has read the device facts there were at start and published every policy they
     * lead to: until then, its answers would describe a fleet it has only partly seen.
     */
    public boolean settled() {
        return settled;
    }

    private void publish() {
        if (!facts.caughtUp()) {
            // While the topics are replayed, a device's lifecycle may be read before its appraisal (they are
            // two topics): deriving then would publish a quarantine and, a moment later, the real policy.
            return;
        }
        long start = System.nanoTime();
        int published = manager.publishPending();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        if (published >= 1_000) {
            // A model-wide recomputation (a new MUD file version) or a replay: worth a line with the pace.
            LOG.infof("Published %d effective policies in %d ms (%.0f/s)", published, elapsedMs,
                    published * 1000.0 / Math.max(1, elapsedMs));
        } else if (published > 0) {
            LOG.debugf("Published %d effective policies in %d ms", published, elapsedMs);
        }
        if (!settled && manager.idle()) {
            settled = true;
            LOG.infof("MUD manager settled [devices: %d]", manager.deviceCount());
        }
    }

    private void refreshCatalog() {
        catalog.refresh()
                .forEach(model -> LOG.warnf("A stored MUD file no longer validates and is not applied [model: %s/%s]",
                        model.manufacturer(), model.hwModel()));
    }

    private void housekeeping() {
        int outbox = PublishedOutboxRows.removePublishedBefore(jdbc,
                clock.instant().minus(config.housekeeping().outboxRetention()));
        if (outbox > 0) {
            LOG.infof("Housekeeping removed %d published outbox rows", outbox);
        }
    }
}
