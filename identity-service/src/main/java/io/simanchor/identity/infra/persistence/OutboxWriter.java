package io.simanchor.identity.infra.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;

/**
 * Appends events to the transactional outbox within the caller's transaction. {@code KafkaOutboxRelay}
 * publishes them afterwards, so an event exists if and only if its change committed.
 */
@ApplicationScoped
public class OutboxWriter {

    private final ObjectMapper json;
    private final OutboxSignal signal;

    OutboxWriter(ObjectMapper json, OutboxSignal signal) {
        this.json = json;
        this.signal = signal;
    }

    /** Appends a lifecycle or security event record, keyed as docs/events.md says. */
    void append(Connection connection, Object event, Instant occurredAt) throws SQLException {
        String topic;
        String type;
        String key;
        if (event instanceof DeviceEnrolledV1 e) {
            topic = Topics.DEVICE_LIFECYCLE;
            type = DeviceEnrolledV1.TYPE;
            key = e.device().deviceId();
        } else if (event instanceof DeviceStateChangedV1 e) {
            topic = Topics.DEVICE_LIFECYCLE;
            type = DeviceStateChangedV1.TYPE;
            key = e.device().deviceId();
        } else if (event instanceof DeviceKeyRotatedV1 e) {
            topic = Topics.DEVICE_LIFECYCLE;
            type = DeviceKeyRotatedV1.TYPE;
            key = e.device().deviceId();
        } else if (event instanceof SecurityEventV1 e) {
            topic = Topics.SECURITY_EVENTS;
            type = SecurityEventV1.TYPE;
            key = e.deviceId() != null ? e.deviceId() : String.valueOf(e.subject());
        } else {
            throw new IllegalArgumentException("not an event record: " + event.getClass().getName());
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox (event_id, topic, record_key, event_type, payload, occurred_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, type);
            insert.setString(5, json.writeValueAsString(event));
            insert.setTimestamp(6, Timestamp.from(occurredAt));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event record not serialisable: " + type, e);
        }
    }

    /** Tells the relay there is something to publish; call after the commit. */
    void committed() {
        signal.wakeUp();
    }
}
