package io.simanchor.attestation.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.attestation.domain.AppraisalLedger;
import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link AppraisalLedger} on PostgreSQL with group commit. Each appraisal's consumed-nonce row and result
 * event must be durable before its EAR is returned, and a commit per appraisal would make the database's
 * commit rate the verifier's ceiling. So concurrent appraisals queue here and one writer records them
 * together: one batched {@code insert ... on conflict do nothing} (its update count per row says which
 * nonces were new, also across instances, because they share the primary key), the result events of the
 * new ones in the outbox, one commit. A lone appraisal is written at once; batches form only under load.
 */
@ApplicationScoped
public class PgAppraisalLedger implements AppraisalLedger {

    private static final Logger LOG = Logger.getLogger(PgAppraisalLedger.class);

    private record Pending(byte[] nonceId, Instant expiresAt, AttestationResultV1 result,
            CompletableFuture<Boolean> recorded) {
    }

    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    PgAppraisalLedger(Jdbc jdbc, OutboxWriter outbox, AttestationConfig config) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.maxBatch = config.ledger().maxBatch();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        writer = new Thread(this::run, "appraisal-ledger");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(5_000);
        }
    }

    @Override
    public boolean recordFirstUse(byte[] nonceId, Instant nonceExpiresAt, AttestationResultV1 result) {
        if (!running) {
            throw new IllegalStateException("the appraisal ledger is not running");
        }
        Pending pending = new Pending(nonceId, nonceExpiresAt, result, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.recorded().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.warnf("Appraisals not recorded, refusing them [count: %d, cause: %s]", batch.size(),
                        e.toString());
                batch.forEach(pending -> pending.recorded().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.recorded()
                .completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    private void record(List<Pending> batch) {
        boolean[] firstUse = jdbc.inTransaction(connection -> {
            boolean[] inserted = new boolean[batch.size()];
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into consumed_nonce (nonce_id, expires_at) values (?, ?) on conflict do nothing")) {
                for (Pending pending : batch) {
                    insert.setBytes(1, pending.nonceId());
                    insert.setTimestamp(2, Timestamp.from(pending.expiresAt()));
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    inserted[i] = counts[i] == 1;
                }
            }
            List<OutboxEvent> events = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (inserted[i]) {
                    AttestationResultV1 result = batch.get(i).result();
                    events.add(new OutboxEvent(Topics.ATTESTATION_RESULTS, result.deviceId(), AttestationResultV1.TYPE,
                            result, result.appraisedAt()));
                }
            }
            outbox.appendAll(connection, events);
            return inserted;
        });
        outbox.committed();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).recorded().complete(firstUse[i]);
        }
    }
}
