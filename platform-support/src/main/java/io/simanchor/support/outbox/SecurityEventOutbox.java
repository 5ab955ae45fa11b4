package io.simanchor.support.outbox;

import org.jboss.logging.Logger;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.persistence.Jdbc;

/**
 * Queues security events through the outbox, so they survive a Kafka outage like every other event. If
 * even the database fails, the event is logged (without secrets) rather than failing the refusal that
 * raised it.
 */
public final class SecurityEventOutbox {

    private static final Logger LOG = Logger.getLogger(SecurityEventOutbox.class);

    private final Jdbc jdbc;
    private final OutboxWriter outbox;

    public SecurityEventOutbox(Jdbc jdbc, OutboxWriter outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    /** The outbox entry for {@code event}: key = device id when known, else the refused subject. */
    public static OutboxEvent entry(SecurityEventV1 event) {
        return new OutboxEvent(Topics.SECURITY_EVENTS, event.deviceId() != null ? event.deviceId() : event.subject(),
                SecurityEventV1.TYPE, event, event.occurredAt());
    }

    /** Queues {@code event} in its own transaction; never throws. */
    public void raise(SecurityEventV1 event) {
        try {
            jdbc.read(connection -> {
                outbox.append(connection, entry(event));
                return null;
            });
            outbox.committed();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Security event not queued [reason: %s, tenant: %s, device: %s]", event.reasonCode(),
                    event.tenantId(), event.deviceId());
        }
    }
}
