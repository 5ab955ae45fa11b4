package io.simanchor.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The settings of the topics a service creates. */
class OutboxRelayConfigTest {

    @Test
    void a_replicated_topic_takes_a_write_only_when_two_replicas_have_it() {
        assertThat(settings(3).topic("t").configs()).containsEntry("min.insync.replicas", "2");
        assertThat(settings(2).topic("t").configs()).containsEntry("min.insync.replicas", "2");
        assertThat(settings(3).compactedTopic("t").configs()).containsEntry("min.insync.replicas", "2")
                .containsEntry("cleanup.policy", "compact");
    }

    @Test
    void a_topic_on_a_single_broker_takes_a_write_from_its_one_replica() {
        assertThat(settings(1).topic("t").configs()).containsEntry("min.insync.replicas", "1");
        assertThat(settings(1).compactedTopic("t").configs()).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void the_brokers_default_replication_factor_comes_with_its_default_minimum() {
        assertThat(settings(-1).topic("t").configs()).doesNotContainKey("min.insync.replicas");
        assertThat(settings(-1).compactedTopic("t").configs()).containsOnlyKeys("cleanup.policy");
    }

    private static OutboxRelayConfig settings(int replicationFactor) {
        return new OutboxRelayConfig() {

            @Override
            public Duration pollInterval() {
                return Duration.ofMillis(200);
            }

            @Override
            public Duration batchLinger() {
                return Duration.ofMillis(20);
            }

            @Override
            public int batchSize() {
                return 500;
            }

            @Override
            public int partitions() {
                return 3;
            }

            @Override
            public short replicationFactor() {
                return (short) replicationFactor;
            }
        };
    }
}
