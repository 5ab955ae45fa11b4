package io.simanchor.identity.config;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;

/** The shared persistence building blocks from platform-support, as CDI beans of this service. */
@ApplicationScoped
public class PersistenceWiring {

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
}
