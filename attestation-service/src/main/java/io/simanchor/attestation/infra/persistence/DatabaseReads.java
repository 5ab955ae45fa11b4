package io.simanchor.attestation.infra.persistence;

import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Vertx;

/**
 * Where the caches of policies and reference values read the database when an appraisal, running on an
 * event loop, needs what they do not hold: the worker pool, so no JDBC call ever holds an event loop.
 */
@ApplicationScoped
public class DatabaseReads implements Executor {

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
