package io.simanchor.identity.infra.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxWriter;

/** Routes identity-service's lifecycle events to their topics and keys (docs/events.md) through the outbox. */
@ApplicationScoped
public class IdentityEventOutbox {

    private final OutboxWriter outbox;

    IdentityEventOutbox(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    /** Appends a lifecycle event record within the caller's transaction. */
    void append(Connection connection, Object event, Instant occurredAt) throws SQLException {
        outbox.append(connection, route(event, occurredAt));
    }

    /** Tells the relay there is something to publish; call after the commit. */
    void committed() {
        outbox.committed();
    }

    private static OutboxEvent route(Object event, Instant occurredAt) {
        if (event instanceof DeviceEnrolledV1 e) {
            return new OutboxEvent(Topics.DEVICE_LIFECYCLE, e.device().deviceId(), DeviceEnrolledV1.TYPE, e,
                    occurredAt);
        }
        if (event instanceof DeviceStateChangedV1 e) {
            return new OutboxEvent(Topics.DEVICE_LIFECYCLE, e.device().deviceId(), DeviceStateChangedV1.TYPE, e,
                    occurredAt);
        }
        if (event instanceof DeviceKeyRotatedV1 e) {
            return new OutboxEvent(Topics.DEVICE_LIFECYCLE, e.device().deviceId(), DeviceKeyRotatedV1.TYPE, e,
                    occurredAt);
        }
        throw new IllegalArgumentException("not an event record: " + event.getClass().getName());
    }
}
