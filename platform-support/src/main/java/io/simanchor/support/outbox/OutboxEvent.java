package io.simanchor.support.outbox;

import java.time.Instant;

/**
 * One event for the transactional outbox: where it goes and what it says.
 *
 * @param topic Kafka topic
 * @param key record key (the device id, docs/events.md)
 * @param type CloudEvents type, e.g. {@code simanchor.device.enrolled.v1}
 * @param payload the versioned event record from platform-api, written as JSON
 * @param occurredAt CloudEvents time
 */
public record OutboxEvent(String topic, String key, String type, Object payload, Instant occurredAt) {
}
