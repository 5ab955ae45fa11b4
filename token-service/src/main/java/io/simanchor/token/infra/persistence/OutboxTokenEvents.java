package io.simanchor.token.infra.persistence;

import io.simanchor.support.outbox.BatchedOutbox;
import io.simanchor.token.domain.TokenDecision;
import io.simanchor.token.domain.TokenEvents;

/**
 * Refusals on {@code simanchor.token-events} (and attacks on {@code simanchor.security-events}) through the
 * outbox, batched and without making the refused request wait: a refusal changes no state, so its event
 * needs no transaction of its own, and under a flood of bad requests one commit covers many of them.
 */
public final class OutboxTokenEvents implements TokenEvents {

    private final BatchedOutbox outbox;

    public OutboxTokenEvents(BatchedOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void denied(TokenDecision decision, String detail) {
        outbox.offer(TokenEventRecords.of(decision, detail));
    }
}
