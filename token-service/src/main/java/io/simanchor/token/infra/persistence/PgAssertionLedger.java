package io.simanchor.token.infra.persistence;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.token.domain.AssertionLedger;

/**
 * {@link AssertionLedger} on PostgreSQL, in group commits shared by concurrent requests
 * ({@link FirstUseLedger}); the primary key of {@code used_assertion} makes a {@code jti} single-use across
 * every instance.
 */
public final class PgAssertionLedger implements AssertionLedger, AutoCloseable {

    private final FirstUseLedger<Void> ledger;

    public PgAssertionLedger(Jdbc jdbc, int maxBatch) {
        this.ledger = FirstUseLedger.withoutEvents("assertion-ledger", jdbc, "used_assertion", "assertion_id",
                maxBatch);
    }

    public void start() {
        ledger.start();
    }

    @Override
    public void close() throws InterruptedException {
        ledger.close();
    }

    @Override
    public CompletionStage<Boolean> recordFirstUse(byte[] assertionId, Instant expiresAt) {
        return ledger.record(assertionId, expiresAt, null);
    }
}
