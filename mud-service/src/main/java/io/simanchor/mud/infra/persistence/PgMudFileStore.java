package io.simanchor.mud.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.mud.domain.ModelKey;
import io.simanchor.mud.domain.MudFileStore;
import io.simanchor.mud.domain.MudFileVersion;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.persistence.PersistenceException;

/** MUD file versions in PostgreSQL (table {@code mud_file}, append-only). */
public final class PgMudFileStore implements MudFileStore {

    private static final String COLUMNS = "manufacturer, hw_model, version, content, signature, etag, mud_url, "
            + "signature_url, last_update_text, cache_validity_hours, stored_at, stored_by";

    private final Jdbc jdbc;
    private final AuditWriter audit;

    public PgMudFileStore(Jdbc jdbc, AuditWriter audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Override
    public Optional<MudFileVersion> current(ModelKey model) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS
                    + " from mud_file where manufacturer = ? and hw_model = ? order by version desc limit 1")) {
                select.setString(1, model.manufacturer());
                select.setString(2, model.hwModel());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(version(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<MudFileVersion> currentVersions() {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select distinct on (manufacturer, hw_model) "
                    + COLUMNS + " from mud_file order by manufacturer, hw_model, version desc");
                    ResultSet rows = select.executeQuery()) {
                List<MudFileVersion> versions = new ArrayList<>();
                while (rows.next()) {
                    versions.add(version(rows));
                }
                return versions;
            }
        });
    }

    @Override
    public Map<ModelKey, Integer> currentVersionNumbers() {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select manufacturer, hw_model, max(version) from mud_file group by manufacturer, hw_model");
                    ResultSet rows = select.executeQuery()) {
                Map<ModelKey, Integer> versions = new HashMap<>();
                while (rows.next()) {
                    versions.put(new ModelKey(rows.getString(1), rows.getString(2)), rows.getInt(3));
                }
                return versions;
            }
        });
    }

    @Override
    public void add(MudFileVersion version, AuditEntry entry) {
        try {
            jdbc.inTransaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("insert into mud_file (" + COLUMNS
                        + ", last_update) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, version.model().manufacturer());
                    insert.setString(2, version.model().hwModel());
                    insert.setInt(3, version.version());
                    insert.setBytes(4, version.content());
                    insert.setBytes(5, version.signature());
                    insert.setString(6, version.etag());
                    insert.setString(7, version.mudUrl());
                    insert.setString(8, version.signatureUrl());
                    insert.setString(9, version.lastUpdate().toString());
                    insert.setInt(10, version.cacheValidityHours());
                    insert.setTimestamp(11, Timestamp.from(version.storedAt()));
                    insert.setString(12, version.storedBy());
                    insert.setTimestamp(13, Timestamp.from(version.lastUpdate().toInstant()));
                    insert.executeUpdate();
                }
                audit.append(connection, entry);
                return null;
            });
        } catch (PersistenceException e) {
            if (e.getCause() instanceof SQLException sql && Jdbc.isUniqueViolation(sql)) {
                throw new ConcurrentUpdateException(version.model());
            }
            throw e;
        }
    }

    private static MudFileVersion version(ResultSet row) throws SQLException {
        return new MudFileVersion(new ModelKey(row.getString("manufacturer"), row.getString("hw_model")),
                row.getInt("version"), row.getBytes("content"), row.getBytes("signature"), row.getString("etag"),
                row.getString("mud_url"), row.getString("signature_url"),
                OffsetDateTime.parse(row.getString("last_update_text")), row.getInt("cache_validity_hours"),
                row.getTimestamp("stored_at").toInstant(), row.getString("stored_by"));
    }
}
