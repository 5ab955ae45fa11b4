package io.simanchor.attestation.infra.persistence;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.attestation.domain.AppraisalLedger;
import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link AppraisalLedger} on PostgreSQL: the consumed nonce and the appraisal's result event are committed
 * together, in group commits shared by concurrent appraisals ({@link FirstUseLedger}); the primary key of
 * {@code consumed_nonce} makes a nonce single-use across every instance.
 */
@ApplicationScoped
public class PgAppraisalLedger implements AppraisalLedger {

    private final FirstUseLedger<AttestationResultV1> ledger;

    PgAppraisalLedger(Jdbc jdbc, OutboxWriter outbox, AttestationConfig config) {
        this.ledger = new FirstUseLedger<>("appraisal-ledger", jdbc, outbox, "consumed_nonce", "nonce_id",
                config.ledger().maxBatch(), result -> Optional.of(new OutboxEvent(Topics.ATTESTATION_RESULTS,
                        result.deviceId(), AttestationResultV1.TYPE, result, result.appraisedAt())));
    }

    void start(@Observes StartupEvent event) {
        ledger.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        ledger.close();
    }

    @Override
    public CompletionStage<Boolean> recordFirstUse(byte[] nonceId, Instant nonceExpiresAt,
            AttestationResultV1 result) {
        return ledger.record(nonceId, nonceExpiresAt, result);
    }
}
