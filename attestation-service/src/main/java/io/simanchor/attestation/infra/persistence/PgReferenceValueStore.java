package io.simanchor.attestation.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

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
 * change within {@code simanchor.attestation.policy-cache-ttl}). The cache holds every version of a model,
 * read at once: a model has a handful of them, and a version a device made up is then found absent in
 * memory, where caching each looked-up version would let one device fill the cache with made-up versions,
 * each read from the database and each pushing out the versions in use.
 */
@ApplicationScoped
public class PgReferenceValueStore implements ReferenceValueStore {

    private static final Logger LOG = Logger.getLogger(PgReferenceValueStore.class);
    private static final TypeReference<List<MeasurementV1>> MEASUREMENTS = new TypeReference<>() {
    };

    private final Jdbc jdbc;
    private final AuditWriter audit;
    private final ObjectMapper json;
    /**
     * A model's reference values by software version, and the versions whose stored values could not be read
     * (lookups of those fail; one unreadable row does not fail the model's other versions).
     */
    private record ModelVersions(Map<String, ReferenceValues> readable, Set<String> unreadable) {
    }

    private final TtlCache<String, ModelVersions> cache;

    PgReferenceValueStore(Jdbc jdbc, AuditWriter audit, ObjectMapper json, AttestationConfig config, Clock clock,
            DatabaseReads reads) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.cache = new TtlCache<>(this::load, reads, config.policyCacheTtl(), DatabaseReads.DEADLINE, 10_000, clock);
    }

    @Override
    public CompletionStage<Optional<ReferenceValues>> find(String hwModel, String swVersion) {
        return cache.get(hwModel).thenApply(versions -> {
            if (versions.unreadable().contains(swVersion)) {
                throw new IllegalStateException(
                        "the stored reference values of " + hwModel + " " + swVersion + " are not readable");
            }
            return Optional.ofNullable(versions.readable().get(swVersion));
        });
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
        cache.invalidate(values.hwModel());
    }

    private ModelVersions load(String hwModel) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select sw_version, measurements from reference_values where hw_model = ?")) {
                select.setString(1, hwModel);
                Map<String, ReferenceValues> readable = new HashMap<>();
                Set<String> unreadable = new HashSet<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String swVersion = rows.getString(1);
                        try {
                            readable.put(swVersion, new ReferenceValues(hwModel, swVersion, read(rows.getString(2))));
                        } catch (RuntimeException e) {
                            LOG.errorf("Stored reference values are not readable [model: %s, version: %s, cause: %s]",
                                    hwModel, swVersion, e.getCause() == null ? e : e.getCause());
                            unreadable.add(swVersion);
                        }
                    }
                }
                return new ModelVersions(readable, unreadable);
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
