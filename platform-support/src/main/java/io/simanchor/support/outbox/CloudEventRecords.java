package io.simanchor.support.outbox;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.simanchor.api.events.CloudEventHeaders;

/**
 * An event as a Kafka record in CloudEvents binary mode (Kafka protocol binding §3.2): the JSON payload as
 * the value, the attributes as {@code ce_} headers, with {@code ce_id} the event's id so a consumer can drop
 * a duplicate, whichever way the event reached the broker ({@link KafkaOutboxRelay}, {@link DirectPublisher}).
 */
final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /**
     * @param source the CloudEvents source, {@code /simanchor/<service>}
     * @param occurredAt the event's time, ISO-8601
     */
    static ProducerRecord<String, String> of(String source, UUID eventId, String topic, String key, String type,
            String jsonPayload, String occurredAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(eventId.toString()));
        headers.add(CloudEventHeaders.SOURCE, bytes(source));
        headers.add(CloudEventHeaders.TYPE, bytes(type));
        headers.add(CloudEventHeaders.TIME, bytes(occurredAt));
        headers.add(CloudEventHeaders.SUBJECT, bytes(key));
        headers.add(CloudEventHeaders.CONTENT_TYPE, bytes("application/json"));
        return new ProducerRecord<>(topic, null, key, jsonPayload, headers);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
