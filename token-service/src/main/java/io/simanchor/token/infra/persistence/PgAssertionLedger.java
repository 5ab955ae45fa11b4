package io.simanchor.token.infra.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.token.domain.AssertionLedger;
import io.simanchor.token.domain.TokenDecision;

/**
 * {@link AssertionLedger} on PostgreSQL: the used assertion and the issued-token event committed together,
 * in group commits shared by concurrent requests ({@link FirstUseLedger}); the primary key of
 * {@code used_assertion} makes a {@code jti} single-use across every instance.
 */
public final class PgAssertionLedger implements AssertionLedger, AutoCloseable {

    private final FirstUseLedger<TokenDecision> ledger;

    public PgAssertionLedger(Jdbc jdbc, OutboxWriter outbox, int maxBatch) {
        this.ledger = new FirstUseLedger<>("assertion-ledger", jdbc, outbox, "used_assertion", "assertion_id",
                maxBatch, decision -> Optional.of(TokenEventRecords.of(decision, "").get(0)));
    }

    public void start() {
        ledger.start();
    }

    @Override
    public void close() throws InterruptedException {
        ledger.close();
    }

    @Override
    public CompletionStage<Boolean> recordFirstUse(byte[] assertionId, Instant expiresAt, TokenDecision issued) {
        return ledger.record(assertionId, expiresAt, issued);
    }
}
