package io.simanchor.attestation.infra.persistence;

import java.time.Duration;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Vertx;

/**
 * Where the caches of policies and reference values ({@link TtlCache}) read the database: the worker pool,
 * so no JDBC call ever holds the event loop an appraisal runs on.
 */
@ApplicationScoped
public class DatabaseReads implements Executor {

    /**
     * How long an appraisal waits for a read it needs before it is answered 503: like the nonce ledger's
     * deadline, so a hung database never leaves a device waiting without an answer.
     */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private final Vertx vertx;

    DatabaseReads(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void execute(Runnable read) {
        // Unordered: reads of different keys need not wait for each other.
        vertx.executeBlocking(() -> {
            read.run();
            return null;
        }, false);
    }
}
