package io.simanchor.support.persistence;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.outbox.SecurityEventOutbox;

/**
 * The persistence building blocks every service shares, as CDI beans over the service's one datasource
 * (its own schema, DESIGN.md §2).
 */
@ApplicationScoped
public class PersistenceBeans {

    @Produces
    @Singleton
    Jdbc jdbc(DataSource dataSource) {
        return new Jdbc(dataSource);
    }

    @Produces
    @Singleton
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    @Produces
    @Singleton
    OutboxWriter outboxWriter(ObjectMapper json, OutboxSignal signal) {
        return new OutboxWriter(json, signal);
    }

    @Produces
    @Singleton
    AuditWriter auditWriter(ObjectMapper json) {
        return new AuditWriter(json);
    }

    @Produces
    @Singleton
    SecurityEventOutbox securityEventOutbox(Jdbc jdbc, OutboxWriter outbox) {
        return new SecurityEventOutbox(jdbc, outbox);
    }
}
