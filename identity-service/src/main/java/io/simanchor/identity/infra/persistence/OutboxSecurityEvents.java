package io.simanchor.identity.infra.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.identity.domain.SecurityEvents;
import io.simanchor.support.outbox.SecurityEventOutbox;

/** {@link SecurityEvents} through the outbox, so they survive a Kafka outage like lifecycle events. */
@ApplicationScoped
public class OutboxSecurityEvents implements SecurityEvents {

    private final SecurityEventOutbox outbox;

    OutboxSecurityEvents(SecurityEventOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void raise(SecurityEventV1 event) {
        outbox.raise(event);
    }
}
