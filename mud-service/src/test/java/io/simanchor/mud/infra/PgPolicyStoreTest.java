package io.simanchor.mud.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.mud.domain.DeviceFacts;
import io.simanchor.mud.domain.PolicyCalculator;
import io.simanchor.mud.domain.PolicyManager;
import io.simanchor.mud.domain.PolicySettings;
import io.simanchor.mud.infra.persistence.PgPolicyStore;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.persistence.Jdbc;

/**
 * Two MUD managers on one database — two instances of the service — derive the same policies from the
 * same events: each change is stored and published once, with one version sequence per device.
 */
@QuarkusTest
class PgPolicyStoreTest {

    private static final PolicySettings SETTINGS = new PolicySettings(
            List.of(new PolicySettings.Endpoint("attestation", "attestation.example", 443)), Set.of("attestation"),
            List.of(), Map.of(), Map.of(), "deny-all");

    @Inject
    Jdbc jdbc;
    @Inject
    OutboxWriter outbox;
    @Inject
    ObjectMapper json;

    private PolicyManager instance() {
        return new PolicyManager(new PolicyCalculator(SETTINGS), new PgPolicyStore(jdbc, outbox, json,
                Clock.systemUTC()), 100);
    }

    @Test
    void two_instances_deriving_the_same_policies_publish_each_change_once() {
        PolicyManager first = instance();
        PolicyManager second = instance();
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 250; i++) {
            DeviceFacts device = new DeviceFacts(run + "-" + i, "t", "Acme", "m", "k", DeviceState.ACTIVE, null);
            first.deviceChanged(device);
            second.deviceChanged(device);
        }
        assertThat(first.publishPending()).isEqualTo(250);
        assertThat(second.publishPending()).isZero();

        DeviceFacts.Attestation warning = new DeviceFacts.Attestation("warning", "p", "k", Instant.now());
        second.appraised(run + "-0", warning);
        first.appraised(run + "-0", warning);
        assertThat(second.publishPending()).isEqualTo(1);
        assertThat(first.publishPending()).isZero();

        MudPolicyV1 stored = new PgPolicyStore(jdbc, outbox, json, Clock.systemUTC()).find(run + "-0").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.tier()).isEqualTo(MudPolicyV1.TIER_PLATFORM_ONLY);
        assertThat(outboxRows(run + "-0")).isEqualTo(2);
    }

    private int outboxRows(String deviceId) {
        return jdbc.read(connection -> {
            try (var select = connection.prepareStatement(
                    "select count(*) from outbox where topic = 'simanchor.mud-policies' and record_key = ?")) {
                select.setString(1, deviceId);
                try (var rows = select.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }
}
