package io.simanchor.mud.infra.persistence;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.mud.domain.DerivedPolicy;
import io.simanchor.mud.domain.DeviceFacts;
import io.simanchor.mud.domain.PolicyStore;
import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.outbox.SecurityEventOutbox;
import io.simanchor.support.persistence.Jdbc;

/**
 * Effective policies in PostgreSQL (table {@code effective_policy}) with their publication through the
 * transactional outbox. One statement per batch decides which candidates changed: an upsert that only
 * touches rows whose digest differs, so the database, not an instance's memory, says what is new, and two
 * instances deriving the same policy publish it once.
 */
public final class PgPolicyStore implements PolicyStore {

    private static final String UPSERT = "insert into effective_policy (device_id, version, digest, policy, updated_at) "
            + "select device_id, 1, digest, policy, ? from unnest(?::text[], ?::text[], ?::text[]) "
            + "as candidate(device_id, digest, policy) "
            + "on conflict (device_id) do update set version = effective_policy.version + 1, "
            + "digest = excluded.digest, policy = excluded.policy, updated_at = excluded.updated_at "
            + "where effective_policy.digest <> excluded.digest returning device_id, version";

    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public PgPolicyStore(Jdbc jdbc, OutboxWriter outbox, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public List<MudPolicyV1> saveChanged(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, MudPolicyV1> unversioned = new HashMap<>();
        String[] ids = new String[candidates.size()];
        String[] digests = new String[candidates.size()];
        String[] policies = new String[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            MudPolicyV1 policy = event(candidate.device(), candidate.policy(), 0, now);
            unversioned.put(policy.deviceId(), policy);
            ids[i] = policy.deviceId();
            digests[i] = candidate.digest();
            policies[i] = write(policy);
        }
        List<MudPolicyV1> stored = jdbc.inTransaction(connection -> {
            List<MudPolicyV1> changed = new ArrayList<>();
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setTimestamp(1, Timestamp.from(now));
                Array idArray = connection.createArrayOf("text", ids);
                upsert.setArray(2, idArray);
                upsert.setArray(3, connection.createArrayOf("text", digests));
                upsert.setArray(4, connection.createArrayOf("text", policies));
                try (ResultSet rows = upsert.executeQuery()) {
                    while (rows.next()) {
                        changed.add(withVersion(unversioned.get(rows.getString(1)), rows.getLong(2)));
                    }
                }
            }
            List<OutboxEvent> events = new ArrayList<>(changed.size());
            for (MudPolicyV1 policy : changed) {
                events.add(new OutboxEvent(Topics.MUD_POLICIES, policy.deviceId(), MudPolicyV1.TYPE, policy, now));
                if (MudPolicyV1.TIER_NO_MUD_FILE.equals(policy.tier())) {
                    // The "warning event": the device gets the default because its model has no MUD file.
                    events.add(SecurityEventOutbox.entry(new SecurityEventV1("MUD_FILE_MISSING", "mud-service",
                            policy.tenantId(), policy.deviceId(), policy.manufacturer() + "/" + policy.hwModel(),
                            Map.of("tier", policy.tier()), now)));
                }
            }
            if (!events.isEmpty()) {
                outbox.appendAll(connection, events);
            }
            return changed;
        });
        if (!stored.isEmpty()) {
            outbox.committed();
        }
        return stored;
    }

    @Override
    public Optional<MudPolicyV1> find(String deviceId) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select version, policy from effective_policy where device_id = ?")) {
                select.setString(1, deviceId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(withVersion(read(row.getString(2)), row.getLong(1)))
                            : Optional.empty();
                }
            }
        });
    }

    private static MudPolicyV1 event(DeviceFacts device, DerivedPolicy policy, long version, Instant at) {
        return new MudPolicyV1(device.deviceId(), device.tenantId(), device.manufacturer(), device.hwModel(), version,
                policy.tier(), policy.basis(), policy.rules(), policy.reasons(), at);
    }

    private static MudPolicyV1 withVersion(MudPolicyV1 policy, long version) {
        return new MudPolicyV1(policy.deviceId(), policy.tenantId(), policy.manufacturer(), policy.hwModel(), version,
                policy.tier(), policy.basis(), policy.rules(), policy.reasons(), policy.effectiveAt());
    }

    private String write(MudPolicyV1 policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy not serialisable", e);
        }
    }

    private MudPolicyV1 read(String text) {
        try {
            return json.readValue(text, MudPolicyV1.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy not readable", e);
        }
    }
}
