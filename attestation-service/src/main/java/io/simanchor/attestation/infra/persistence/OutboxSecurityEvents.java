package io.simanchor.attestation.infra.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.attestation.domain.SecurityEvents;
import io.simanchor.support.outbox.SecurityEventOutbox;

/** {@link SecurityEvents} through the outbox, so refusals survive a Kafka outage like results do. */
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
