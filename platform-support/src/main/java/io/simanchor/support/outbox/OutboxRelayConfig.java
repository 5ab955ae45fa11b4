package io.simanchor.support.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import io.simanchor.support.messaging.KafkaConnection;
import io.smallrye.config.WithDefault;

/**
 * Outbox relay settings, a group in each service's configuration ({@code simanchor.<service>.events.*});
 * the service READMEs list the keys and defaults.
 */
public interface OutboxRelayConfig {

    /** How often the relay looks for events when nothing woke it. */
    @WithDefault("200ms")
    Duration pollInterval();

    /**
     * After a round that published less than a full batch, how long the relay lets events gather before
     * the next one: fewer, larger rounds (one Kafka flush and one database commit each) under load, at
     * the cost of this much extra latency per event.
     */
    @WithDefault("20ms")
    Duration batchLinger();

    /** Most events published in one round. */
    @WithDefault("500")
    int batchSize();

    /** Partitions of topics the service creates. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of topics the service creates (1 on a single broker; -1 for the broker's default). */
    @WithDefault("1")
    short replicationFactor();

    /**
     * A topic the service creates with these settings. Replicated, it takes a write only when two replicas
     * have it ({@code min.insync.replicas} 2): publishers use {@code acks=all}, which waits only for the
     * in-sync replicas, and with the broker's default of 1 an acknowledgement could rest on one broker's page
     * cache, which is less than the outbox's commit the publisher then forgets. The price, at a replication
     * factor of 2: while one of its brokers is down the topic takes no write, and events wait in the outboxes
     * (use 3). A replication factor below 1 leaves both to the broker's defaults; a topic that exists already
     * keeps its own settings.
     */
    default NewTopic topic(String name) {
        return new NewTopic(name, partitions(), replicationFactor()).configs(replicated());
    }

    /** A compacted topic (the latest record per key is the state) the service creates with these settings. */
    default NewTopic compactedTopic(String name) {
        Map<String, String> configs = new HashMap<>(replicated());
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return topic(name).configs(configs);
    }

    private Map<String, String> replicated() {
        return replicationFactor() < 1
                ? Map.of()
                : Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(replicationFactor(), 2)));
    }

    /**
     * The relay settings for {@code service}.
     *
     * @param outboxRetention how long the service keeps a published row: zero deletes it at publication,
     *        anything longer marks it for housekeeping to remove after that long
     */
    default KafkaOutboxRelay.Settings relaySettings(String service, long lockKey, KafkaConnection kafka,
            List<NewTopic> topics, Duration outboxRetention) {
        return new KafkaOutboxRelay.Settings(service, lockKey, kafka, topics, pollInterval(),
                batchLinger(), batchSize(), !outboxRetention.isZero());
    }
}
