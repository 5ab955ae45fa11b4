package io.simanchor.identity.infra.messaging;

import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.outbox.KafkaOutboxRelay;
import io.simanchor.support.outbox.OutboxRelayConfig;
import io.simanchor.support.outbox.OutboxSignal;

/** Runs the outbox relay for identity-service's topics while the service runs. */
@ApplicationScoped
public class EventRelay {

    /** Advisory lock key: "simanchor identity outbox". */
    private static final long RELAY_LOCK = 0x5349_4d41_4f42_0001L;

    private final KafkaOutboxRelay relay;

    EventRelay(DataSource dataSource, OutboxSignal signal, IdentityConfig config, LifecycleRecordKey recordKey,
            KafkaConnection kafka) {
        OutboxRelayConfig events = config.events();
        // The lifecycle topic is compacted: the latest event per device is its whole state (docs/events.md).
        List<NewTopic> topics = List.of(events.compactedTopic(Topics.DEVICE_LIFECYCLE),
                events.topic(Topics.SECURITY_EVENTS));
        this.relay = new KafkaOutboxRelay(dataSource, signal,
                events.relaySettings("identity-service", RELAY_LOCK, kafka, topics,
                        config.housekeeping().outboxRetention()),
                recordKey.signer());
    }

    void start(@Observes StartupEvent event) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        relay.stop();
    }
}
