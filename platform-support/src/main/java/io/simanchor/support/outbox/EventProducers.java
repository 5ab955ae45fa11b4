package io.simanchor.support.outbox;

import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import io.simanchor.support.messaging.KafkaConnection;

/**
 * What every producer of the platform's events shares ({@link KafkaOutboxRelay}, {@link DirectPublisher}):
 * acknowledged by every in-sync replica, idempotent (a retried send is written once, in order per
 * partition), string keys and JSON values. Each adds its own linger and timeouts.
 */
final class EventProducers {

    private EventProducers() {
    }

    static Properties acknowledgedByAll(KafkaConnection kafka, String clientId) {
        Properties properties = kafka.properties(clientId);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }
}
