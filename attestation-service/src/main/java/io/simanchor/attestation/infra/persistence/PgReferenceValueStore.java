package io.simanchor.attestation.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.attestation.domain.ReferenceValueStore;
import io.simanchor.attestation.domain.ReferenceValues;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link ReferenceValueStore} on PostgreSQL, read through a short-lived cache (other instances see a
 * change within {@code simanchor.attestation.policy-cache-ttl}).
 */
@ApplicationScoped
public class PgReferenceValueStore implements ReferenceValueStore {

    private static final TypeReference<List<MeasurementV1>> MEASUREMENTS = new TypeReference<>() {
    };

    private record Key(String hwModel, String swVersion) {
    }

    private final Jdbc jdbc;
    private final AuditWriter audit;
    private final ObjectMapper json;
    private final TtlCache<Key, Optional<ReferenceValues>> cache;

    PgReferenceValueStore(Jdbc jdbc, AuditWriter audit, ObjectMapper json, AttestationConfig config, Clock clock,
            DatabaseReads reads) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.cache = new TtlCache<>(this::load, reads, config.policyCacheTtl(), DatabaseReads.DEADLINE, 10_000, clock);
    }

    @Override
    public CompletionStage<Optional<ReferenceValues>> find(String hwModel, String swVersion) {
        return cache.get(new Key(hwModel, swVersion));
    }

    @Override
    public void save(ReferenceValues values, AuditEntry entry) {
        String measurements = write(values.measurements());
        jdbc.inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into reference_values (hw_model, sw_version, measurements, updated_at, updated_by) "
                            + "values (?, ?, ?, ?, ?) on conflict (hw_model, sw_version) do update set "
                            + "measurements = excluded.measurements, updated_at = excluded.updated_at, "
                            + "updated_by = excluded.updated_by")) {
                upsert.setString(1, values.hwModel());
                upsert.setString(2, values.swVersion());
                upsert.setString(3, measurements);
                upsert.setTimestamp(4, Timestamp.from(entry.at()));
                upsert.setString(5, entry.actor());
                upsert.executeUpdate();
            }
            audit.append(connection, entry);
            return null;
        });
        cache.invalidate(new Key(values.hwModel(), values.swVersion()));
    }

    private Optional<ReferenceValues> load(Key key) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select measurements from reference_values where hw_model = ? and sw_version = ?")) {
                select.setString(1, key.hwModel());
                select.setString(2, key.swVersion());
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new ReferenceValues(key.hwModel(), key.swVersion(), read(row.getString(1))))
                            : Optional.empty();
                }
            }
        });
    }

    private String write(List<MeasurementV1> measurements) {
        try {
            return json.writeValueAsString(measurements);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("measurements not serialisable", e);
        }
    }

    private List<MeasurementV1> read(String stored) {
        try {
            return json.readValue(stored, MEASUREMENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reference values are not readable", e);
        }
    }
}
