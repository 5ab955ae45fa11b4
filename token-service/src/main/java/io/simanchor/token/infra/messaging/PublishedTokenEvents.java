package io.simanchor.token.infra.messaging;

import java.util.concurrent.CompletionStage;

import io.simanchor.support.outbox.BatchedOutbox;
import io.simanchor.support.outbox.DirectPublisher;
import io.simanchor.token.domain.TokenDecision;
import io.simanchor.token.domain.TokenEvents;

/**
 * Token decisions on {@code simanchor.token-events} (and attacks on {@code simanchor.security-events}).
 * An issued token's event goes to Kafka directly and the token waits for the broker's acknowledgement, or
 * for the outbox when Kafka does not answer ({@link DirectPublisher}): its state, the spent {@code jti}, is
 * already committed, so a second database write per token would buy nothing but cost. A refusal changes no
 * state and its request does not wait: it goes through the outbox, batched, so a flood of bad requests
 * costs one commit per batch.
 */
public final class PublishedTokenEvents implements TokenEvents {

    private final DirectPublisher issued;
    private final BatchedOutbox refusals;

    public PublishedTokenEvents(DirectPublisher issued, BatchedOutbox refusals) {
        this.issued = issued;
        this.refusals = refusals;
    }

    @Override
    public CompletionStage<Void> issued(TokenDecision decision) {
        return issued.publish(TokenEventRecords.of(decision, ""));
    }

    @Override
    public void denied(TokenDecision decision, String detail) {
        refusals.offer(TokenEventRecords.of(decision, detail));
    }
}
