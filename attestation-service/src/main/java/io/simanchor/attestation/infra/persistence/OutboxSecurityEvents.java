package io.simanchor.attestation.infra.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.attestation.domain.SecurityEvents;
import io.simanchor.support.outbox.BatchedOutbox;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.outbox.SecurityEventOutbox;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link SecurityEvents} through the outbox, so refusals survive a Kafka outage like results do. Batched,
 * and without making the refused request wait: evidence is checked on an event loop, which must never wait
 * for a commit, and under a flood of bad evidence one commit covers many refusals. A flood that outruns
 * the database drops events (counted and logged by {@link BatchedOutbox}) rather than slowing appraisals.
 */
@ApplicationScoped
public class OutboxSecurityEvents implements SecurityEvents {

    private final BatchedOutbox outbox;

    OutboxSecurityEvents(Jdbc jdbc, OutboxWriter outbox) {
        this.outbox = new BatchedOutbox("security-events", jdbc, outbox, 100_000, 500);
    }

    void start(@Observes StartupEvent event) {
        outbox.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        outbox.close();
    }

    @Override
    public void raise(SecurityEventV1 event) {
        outbox.offer(List.of(SecurityEventOutbox.entry(event)));
    }
}
