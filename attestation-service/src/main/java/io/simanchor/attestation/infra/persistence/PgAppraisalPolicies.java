package io.simanchor.attestation.infra.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.attestation.domain.AppraisalPolicies;
import io.simanchor.attestation.domain.AppraisalPolicy;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link AppraisalPolicies} on PostgreSQL: a model's own policy if one was set, else the default policy
 * shipped with the service ({@code policies/default.json}, shown in docs/attestation.md).
 */
@ApplicationScoped
public class PgAppraisalPolicies implements AppraisalPolicies {

    static final String DEFAULT_POLICY_RESOURCE = "/policies/default.json";

    private final Jdbc jdbc;
    private final AuditWriter audit;
    private final ObjectMapper json;
    private final TtlCache<String, AppraisalPolicy> cache;
    private final AppraisalPolicy defaultPolicy;

    PgAppraisalPolicies(Jdbc jdbc, AuditWriter audit, ObjectMapper json, AttestationConfig config, Clock clock,
            DatabaseReads reads) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.defaultPolicy = loadDefault(json);
        this.cache = new TtlCache<>(this::load, reads, config.policyCacheTtl(), DatabaseReads.DEADLINE, 10_000, clock);
    }

    @Override
    public CompletionStage<AppraisalPolicy> forModel(String hwModel) {
        return cache.get(hwModel);
    }

    @Override
    public void save(String hwModel, AppraisalPolicy policy, AuditEntry entry) {
        String document = write(policy);
        jdbc.inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into appraisal_policy (hw_model, policy, updated_at, updated_by) values (?, ?, ?, ?) "
                            + "on conflict (hw_model) do update set policy = excluded.policy, "
                            + "updated_at = excluded.updated_at, updated_by = excluded.updated_by")) {
                upsert.setString(1, hwModel);
                upsert.setString(2, document);
                upsert.setTimestamp(3, Timestamp.from(entry.at()));
                upsert.setString(4, entry.actor());
                upsert.executeUpdate();
            }
            audit.append(connection, entry);
            return null;
        });
        cache.invalidate(hwModel);
    }

    /** The model's own policy, else the default. */
    private AppraisalPolicy load(String hwModel) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select policy from appraisal_policy where hw_model = ?")) {
                select.setString(1, hwModel);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? read(json, row.getString(1)) : defaultPolicy;
                }
            }
        });
    }

    private static AppraisalPolicy loadDefault(ObjectMapper json) {
        try (InputStream in = PgAppraisalPolicies.class.getResourceAsStream(DEFAULT_POLICY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_POLICY_RESOURCE + " is missing from the service");
            }
            AppraisalPolicy policy = json.readValue(in, AppraisalPolicy.class);
            List<String> problems = policy.problems();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the default appraisal policy is not valid: " + problems);
            }
            return policy;
        } catch (IOException e) {
            throw new UncheckedIOException("the default appraisal policy cannot be read", e);
        }
    }

    private String write(AppraisalPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy not serialisable", e);
        }
    }

    private static AppraisalPolicy read(ObjectMapper json, String stored) {
        try {
            return json.readValue(stored, AppraisalPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored appraisal policy is not readable", e);
        }
    }
}
