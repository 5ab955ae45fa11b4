package io.simanchor.identity.infra.messaging;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.support.outbox.KafkaOutboxRelay;
import io.simanchor.support.outbox.OutboxSignal;

/** Runs the outbox relay for identity-service's topics while the service runs. */
@ApplicationScoped
public class EventRelay {

    /** Advisory lock key: "simanchor identity outbox". */
    private static final long RELAY_LOCK = 0x5349_4d41_4f42_0001L;

    private final KafkaOutboxRelay relay;

    EventRelay(DataSource dataSource, OutboxSignal signal, IdentityConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        IdentityConfig.Events events = config.events();
        // The lifecycle topic is compacted: the latest event per device is its whole state (docs/events.md).
        List<NewTopic> topics = List.of(
                new NewTopic(Topics.DEVICE_LIFECYCLE, events.partitions(), events.replicationFactor())
                        .configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.SECURITY_EVENTS, events.partitions(), events.replicationFactor()));
        this.relay = new KafkaOutboxRelay(dataSource, signal, new KafkaOutboxRelay.Settings("identity-service",
                RELAY_LOCK, bootstrapServers, topics, events.pollInterval(), events.batchLinger(), events.batchSize()));
    }

    void start(@Observes StartupEvent event) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        relay.stop();
    }
}
