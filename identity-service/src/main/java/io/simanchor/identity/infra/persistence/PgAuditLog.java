package io.simanchor.identity.infra.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.identity.domain.AuditLog;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;

/** {@link AuditLog} on PostgreSQL. */
@ApplicationScoped
public class PgAuditLog implements AuditLog {

    private final Jdbc jdbc;
    private final AuditWriter writer;

    PgAuditLog(Jdbc jdbc, AuditWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    @Override
    public void append(AuditEntry entry) {
        jdbc.read(connection -> {
            writer.append(connection, entry);
            return null;
        });
    }
}
