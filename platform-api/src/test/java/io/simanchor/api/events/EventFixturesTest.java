package io.simanchor.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;

/**
 * Every event record has a golden JSON fixture: the fixture reads into the expected record, and the
 * record writes back to the same JSON. A renamed or retyped field breaks this test, which is the point:
 * published versions never change (docs/events.md).
 */
class EventFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** An EAR as attestation-service returns it (its signature is not checked here: the fixture is the format). */
    private static final String EAR = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImVhdCtqd3QiLCJraWQiOiIzYlBRMmw0a0V3MXhGZjJjUms1cjlWcTBtSnRZaE42dVpzQThvQ2RMZ0llIn0.eyJlYXRfcHJvZmlsZSI6InRhZzpnaXRodWIuY29tLDIwMjM6dmVyYWlzb24vZWFyIiwiaWF0IjoxNzk1NDI0NDAwLCJleHAiOjE3OTU0MjgwMDAsImVhci52ZXJpZmllci1pZCI6eyJkZXZlbG9wZXIiOiJTSU0gQW5jaG9yIiwiYnVpbGQiOiIwLjEuMCJ9LCJlYXRfbm9uY2UiOiJBQUVDQXdRRkJnY0lDUW9MREEwT0R4QVJFaE1VRlJZWEdCa2FHeHdkSGg4Iiwic3ViIjoiMGI3YzRhNWUtMmYxZC00YzUzLTlhOGUtNmQyYjFmMGU0YTcxIiwiY25mIjp7ImprdCI6ImNuLUlfV05NQ2xlaGlWcDUxaV8wVnBPRU5XMXVwRWVyQThzRWFtNWhuLXMifSwic3VibW9kcyI6eyJkZXZpY2UiOnsiZWFyLnN0YXR1cyI6Indhcm5pbmciLCJlYXIudHJ1c3R3b3J0aGluZXNzLXZlY3RvciI6eyJpbnN0YW5jZS1pZGVudGl0eSI6MiwiY29uZmlndXJhdGlvbiI6MzIsImV4ZWN1dGFibGVzIjoyLCJoYXJkd2FyZSI6Mn0sImVhci5hcHByYWlzYWwtcG9saWN5LWlkIjoic2ltYW5jaG9yL2RlZmF1bHQvdjEifX19.lOlQ7aSocOZWXUThS5DxbAo4HNaTBFKcgfa9QIrxPFFVFrhBfgBfwxCT-qSxPekkNkVt0lKJqyhnw6V2-pSESQ";
    private static final DeviceSnapshotV1 ENROLLED = new DeviceSnapshotV1(
            "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71", "acme", "tracker-x1", "Acme Devices",
            new EcPublicJwkV1("EC", "P-256", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                    "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"),
            "cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s", "5f1e0c7d9a2b4c6e8f00112233445566",
            Instant.parse("2027-11-22T10:15:30Z"), "https://mud.simanchor.example/v1/models/tracker-x1",
            DeviceState.ACTIVE, true, 1);

    @Test
    void device_enrolled_matches_its_fixture() throws IOException {
        assertRoundTrip("device-enrolled-v1.json", DeviceEnrolledV1.class,
                new DeviceEnrolledV1(ENROLLED, Instant.parse("2026-11-22T10:15:30Z")));
    }

    @Test
    void device_state_changed_matches_its_fixture() throws IOException {
        DeviceSnapshotV1 suspended = new DeviceSnapshotV1(ENROLLED.deviceId(), ENROLLED.tenantId(),
                ENROLLED.hwModel(), ENROLLED.manufacturer(), ENROLLED.publicKey(), ENROLLED.keyThumbprint(),
                ENROLLED.certificateSerial(), ENROLLED.certificateNotAfter(), ENROLLED.mudUrl(),
                DeviceState.SUSPENDED, true, 2);
        assertRoundTrip("device-state-changed-v1.json", DeviceStateChangedV1.class,
                new DeviceStateChangedV1(suspended, DeviceState.ACTIVE, "stolen vehicle reported",
                        "service-account-operator-cli", Instant.parse("2026-11-22T11:00:00Z")));
    }

    @Test
    void device_key_rotated_matches_its_fixture() throws IOException {
        DeviceSnapshotV1 rotated = new DeviceSnapshotV1(ENROLLED.deviceId(), ENROLLED.tenantId(),
                ENROLLED.hwModel(), ENROLLED.manufacturer(), ENROLLED.publicKey(),
                "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "7a00112233445566778899aabbccddee",
                ENROLLED.certificateNotAfter(), ENROLLED.mudUrl(), DeviceState.ACTIVE, true, 2);
        assertRoundTrip("device-key-rotated-v1.json", DeviceKeyRotatedV1.class,
                new DeviceKeyRotatedV1(rotated, ENROLLED.keyThumbprint(), Instant.parse("2026-11-22T12:00:00Z")));
    }

    @Test
    void security_event_matches_its_fixture() throws IOException {
        assertRoundTrip("security-event-v1.json", SecurityEventV1.class,
                new SecurityEventV1("KEY_REUSE_DETECTED", "identity-service", "acme", null,
                        "cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s",
                        Map.of("boundTo", "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71"),
                        Instant.parse("2026-11-22T10:16:00Z")));
    }

    @Test
    void attestation_result_matches_its_fixture() throws IOException {
        Map<String, Integer> vector = new LinkedHashMap<>();
        vector.put("instance-identity", 2);
        vector.put("configuration", 32);
        vector.put("executables", 2);
        vector.put("hardware", 2);
        assertRoundTrip("attestation-result-v1.json", AttestationResultV1.class,
                new AttestationResultV1(ENROLLED.deviceId(), "acme", "warning", vector, "simanchor/default/v1",
                        "tracker-x1", "4.2.0", List.of("DEBUG_ENABLED"), ENROLLED.keyThumbprint(),
                        Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T10:00:00Z"), EAR));
    }

    @Test
    void token_decision_matches_its_fixture() throws IOException {
        assertRoundTrip("token-decision-v1.json", TokenDecisionV1.class,
                new TokenDecisionV1(TokenDecisionV1.ISSUED, "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71", null, null,
                        "telemetry", "q8bF2nU0cQ5yW1xZr3tJ7A", "affirming", Instant.parse("2026-11-23T10:00:00Z"),
                        Instant.parse("2026-11-23T10:10:00Z")));
    }

    @Test
    void eat_evidence_claims_match_their_fixture() throws IOException {
        assertRoundTrip("eat-evidence-v1.json", EatEvidenceV1.class,
                new EatEvidenceV1("AfVNNlqtZ3Xz4wS1R3n8dYc2cQ0mJ8oW2xYk9tB1uPqfZ0lI0QpM8mKc0A4Vb2yTq1Rz9w",
                        Ueid.of(ENROLLED.deviceId()), 1_795_424_400L, "tracker-x1", "tracker-firmware", "4.2.0",
                        List.of(new MeasurementV1("bootloader", MeasurementV1.SHA_256,
                                "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"),
                                new MeasurementV1("firmware", MeasurementV1.SHA_256,
                                        "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564")),
                        3, true));
    }

    @Test
    void event_types_are_versioned_and_distinct() {
        assertThat(new String[]{DeviceEnrolledV1.TYPE, DeviceStateChangedV1.TYPE, DeviceKeyRotatedV1.TYPE,
                SecurityEventV1.TYPE, AttestationResultV1.TYPE, TokenDecisionV1.TYPE, MudPolicyV1.TYPE})
                .doesNotHaveDuplicates()
                .allMatch(type -> type.startsWith("simanchor.") && type.endsWith(".v1"));
    }

    @Test
    void mud_policy_matches_its_fixture() throws IOException {
        MudPolicyV1.PortMatch https = new MudPolicyV1.PortMatch("eq", 443, null, null);
        List<MudPolicyV1.Rule> rules = List.of(
                new MudPolicyV1.Rule("mud-tracker-x1-v4fr/cloud", "from-device", "accept", "ipv4", 6,
                        List.of("telemetry.acme.example"), null, null, https, null, null, null, "device"),
                new MudPolicyV1.Rule("mud-tracker-x1-v4fr/peers", "from-device", "accept", "ipv4", 17, null, null,
                        new MudPolicyV1.PeerGroup("same-manufacturer", "Acme Devices"),
                        new MudPolicyV1.PortMatch("range", null, 5683, 5684), null, null, null, null));
        assertRoundTrip("mud-policy-v1.json", MudPolicyV1.class,
                new MudPolicyV1(ENROLLED.deviceId(), "acme", "Acme Devices", "tracker-x1", 3, MudPolicyV1.TIER_MUD,
                        new MudPolicyV1.Basis("ACTIVE", "affirming", "simanchor/default/v1",
                                "https://mud.simanchor.example/mud/Acme%20Devices/tracker-x1.json", 2),
                        rules, List.of("ATTESTATION_AFFIRMING"), Instant.parse("2026-11-23T09:00:01Z")));
    }

    private static <T> void assertRoundTrip(String fixture, Class<T> type, T expected) throws IOException {
        JsonNode golden;
        try (InputStream in = EventFixturesTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            golden = JSON.readTree(in);
        }
        T read = JSON.treeToValue(golden, type);
        // Written as text and read back, so numbers compare by value (an int and a long of one value differ
        // as tree nodes but not as JSON).
        JsonNode written = JSON.readTree(JSON.writeValueAsString(expected));
        assertThat(read).isEqualTo(expected);
        assertThat(written).isEqualTo(golden);
    }
}
