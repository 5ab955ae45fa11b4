package io.simanchor.identity.infra.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.identity.domain.SecurityEvents;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link SecurityEvents} through the outbox, so they survive a Kafka outage like lifecycle events. If
 * even the database fails, the event is logged (without secrets) rather than failing the refusal.
 */
@ApplicationScoped
public class OutboxSecurityEvents implements SecurityEvents {

    private static final Logger LOG = Logger.getLogger(OutboxSecurityEvents.class);

    private final Jdbc jdbc;
    private final IdentityEventOutbox outbox;

    OutboxSecurityEvents(Jdbc jdbc, IdentityEventOutbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Override
    public void raise(SecurityEventV1 event) {
        try {
            jdbc.read(connection -> {
                outbox.append(connection, event, event.occurredAt());
                return null;
            });
            outbox.committed();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Security event not queued [reason: %s, tenant: %s, device: %s]", event.reasonCode(),
                    event.tenantId(), event.deviceId());
        }
    }
}
