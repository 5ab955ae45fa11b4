package io.simanchor.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Appends events to the transactional outbox within the caller's transaction. {@link KafkaOutboxRelay}
 * publishes them afterwards, so an event exists if and only if its change committed.
 */
public final class OutboxWriter {

    private static final String INSERT = "insert into outbox (event_id, topic, record_key, event_type, payload, occurred_at) "
            + "values (?, ?, ?, ?, ?, ?)";

    private final ObjectMapper json;
    private final OutboxSignal signal;

    public OutboxWriter(ObjectMapper json, OutboxSignal signal) {
        this.json = json;
        this.signal = signal;
    }

    /** Appends {@code event} on {@code connection}; it becomes visible to the relay with the commit. */
    public void append(Connection connection, OutboxEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bind(insert, event);
            insert.executeUpdate();
        }
    }

    /** Appends several events with one batched statement. */
    public void appendAll(Connection connection, Iterable<OutboxEvent> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (OutboxEvent event : events) {
                bind(insert, event);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Tells the relay there is something to publish; call after the commit. */
    public void committed() {
        signal.wakeUp();
    }

    private void bind(PreparedStatement insert, OutboxEvent event) throws SQLException {
        insert.setObject(1, UUID.randomUUID());
        insert.setString(2, event.topic());
        insert.setString(3, event.key());
        insert.setString(4, event.type());
        try {
            insert.setString(5, json.writeValueAsString(event.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event record not serialisable: " + event.type(), e);
        }
        insert.setTimestamp(6, Timestamp.from(event.occurredAt()));
    }
}
