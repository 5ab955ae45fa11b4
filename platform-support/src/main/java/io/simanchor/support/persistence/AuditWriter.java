package io.simanchor.support.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.audit.AuditEntry;

/**
 * Writes audit entries within the caller's transaction, into the service's {@code audit_log} table
 * (append-only by trigger, see each service's first migration).
 */
public final class AuditWriter {

    private final ObjectMapper json;

    public AuditWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Appends {@code entry} on {@code connection}; committed with the caller's change. */
    public void append(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into audit_log (at, actor, action, tenant_id, subject, details) values (?, ?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(entry.at()));
            insert.setString(2, entry.actor());
            insert.setString(3, entry.action());
            insert.setString(4, entry.tenantId());
            insert.setString(5, entry.subject());
            insert.setString(6, json.writeValueAsString(entry.details()));
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit details not serialisable", e);
        }
    }
}
