package io.simanchor.support.outbox;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.simanchor.support.messaging.KafkaConnection;

/**
 * Creates a service's topics with its settings before it first publishes: a broker that creates topics on
 * first use would give them its own defaults (partitions, clean-up policy) instead.
 */
final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Creates what is missing; returns once every topic exists, or throws if the broker did not say so in time. */
    static void ensure(KafkaConnection kafka, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties properties = kafka.properties("topic-setup");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(properties)) {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
