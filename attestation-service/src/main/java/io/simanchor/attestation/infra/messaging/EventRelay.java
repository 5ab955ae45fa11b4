package io.simanchor.attestation.infra.messaging;

import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.outbox.KafkaOutboxRelay;
import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.outbox.OutboxSignal;

/** Runs the outbox relay for attestation-service's topics while the service runs. */
@ApplicationScoped
public class EventRelay {

    /** Advisory lock key: "simanchor attestation outbox". */
    private static final long RELAY_LOCK = 0x5349_4d41_4f42_0002L;

    private final KafkaOutboxRelay relay;

    EventRelay(DataSource dataSource, OutboxSignal signal, AttestationConfig config,
            KafkaConnection kafka) {
        OutboxRelayConfig events = config.events();
        // Results are compacted: the latest appraisal per device is what relying parties need (docs/events.md).
        this.relay = new KafkaOutboxRelay(dataSource, signal, events.relaySettings("attestation-service", RELAY_LOCK,
                kafka, List.of(events.compactedTopic(Topics.ATTESTATION_RESULTS),
                        events.topic(Topics.SECURITY_EVENTS)),
                config.housekeeping().outboxRetention()));
    }

    void start(@Observes StartupEvent event) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        relay.stop();
    }
}
