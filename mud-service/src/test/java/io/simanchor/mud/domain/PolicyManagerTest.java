package io.simanchor.mud.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.mud.testing.InMemoryPolicyStore;

class PolicyManagerTest {

    private static final ModelKey MODEL = new ModelKey("Acme", "tracker-x1");
    private static final PolicySettings SETTINGS = new PolicySettings(
            List.of(new PolicySettings.Endpoint("attestation", "attestation.example", 443)), Set.of("attestation"),
            List.of("10.0.0.0/8"), Map.of(), Map.of(), "deny-all");

    private final InMemoryPolicyStore store = new InMemoryPolicyStore();
    private final PolicyManager manager = new PolicyManager(new PolicyCalculator(SETTINGS), store, 100);

    private static DeviceFacts device(String id, DeviceState state) {
        return new DeviceFacts(id, "t", MODEL.manufacturer(), MODEL.hwModel(), "key-" + id, state, null);
    }

    private static DeviceFacts.Attestation appraisal(String id, String status, int second) {
        return new DeviceFacts.Attestation(status, "policy", "key-" + id, Instant.ofEpochSecond(second));
    }

    private static ModelPolicy file(int version) {
        return new ModelPolicy(version, "https://mud.example/mud/Acme/tracker-x1.json", new MudFile(
                "https://mud.example/mud/Acme/tracker-x1.json", OffsetDateTime.parse("2026-01-01T00:00:00Z"), 48, true,
                null, List.of(), List.of()));
    }

    private String tier(String id) {
        return store.find(id).orElseThrow().tier();
    }

    @Test
    void a_device_goes_from_quarantine_to_its_mud_policy_when_affirmed() {
        manager.modelChanged(MODEL, file(1));
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        manager.publishPending();
        assertThat(tier("d1")).isEqualTo(MudPolicyV1.TIER_QUARANTINE);

        manager.appraised("d1", appraisal("d1", "affirming", 1));
        manager.publishPending();
        assertThat(tier("d1")).isEqualTo(MudPolicyV1.TIER_MUD);
        assertThat(store.find("d1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void deriving_the_same_policy_again_stores_nothing() {
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        assertThat(manager.publishPending()).isEqualTo(1);
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        manager.appraised("d1", appraisal("d1", "contraindicated", 1));
        manager.publishPending();
        manager.appraised("d1", appraisal("d1", "contraindicated", 2));
        assertThat(manager.publishPending()).isZero();
        assertThat(store.find("d1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void stale_appraisals_and_appraisals_of_another_key_are_ignored() {
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        manager.appraised("d1", appraisal("d1", "affirming", 10));
        manager.appraised("d1", appraisal("d1", "contraindicated", 5));
        manager.appraised("d1",
                new DeviceFacts.Attestation("contraindicated", "p", "old-key", Instant.ofEpochSecond(20)));
        manager.publishPending();
        assertThat(store.find("d1").orElseThrow().basis().attestationStatus()).isEqualTo("affirming");
    }

    @Test
    void an_appraisal_read_before_the_enrollment_is_kept_until_it_comes() {
        manager.appraised("d1", appraisal("d1", "warning", 1));
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        manager.publishPending();
        assertThat(tier("d1")).isEqualTo(MudPolicyV1.TIER_PLATFORM_ONLY);
    }

    @Test
    void a_revocation_is_not_held_up_by_a_model_wide_recomputation() {
        for (int i = 0; i < 1_000; i++) {
            manager.deviceChanged(device("d" + i, DeviceState.ACTIVE));
            manager.appraised("d" + i, appraisal("d" + i, "affirming", 1));
        }
        manager.publishPending();
        store.batches.clear();

        manager.modelChanged(MODEL, file(1));
        manager.deviceChanged(device("d999", DeviceState.REVOKED));
        manager.publishPending();

        // The revocation is stored in the first batch; the 1,000 model-wide recomputations follow in batches of 100.
        assertThat(store.batches.get(0)).containsExactly("d999");
        assertThat(store.batches).hasSize(11);
        assertThat(tier("d999")).isEqualTo(MudPolicyV1.TIER_DENY_ALL);
        assertThat(tier("d1")).isEqualTo(MudPolicyV1.TIER_MUD);
        assertThat(manager.idle()).isTrue();
    }

    @Test
    void the_new_keys_appraisal_read_before_the_key_rotation_is_kept_for_it() {
        manager.deviceChanged(device("d1", DeviceState.ACTIVE));
        manager.appraised("d1", appraisal("d1", "affirming", 1));
        manager.publishPending();
        DeviceFacts rotated = new DeviceFacts("d1", "t", MODEL.manufacturer(), MODEL.hwModel(), "new-key",
                DeviceState.ACTIVE, null);

        manager.appraised("d1", new DeviceFacts.Attestation("warning", "p", "new-key", Instant.ofEpochSecond(2)));
        manager.deviceChanged(rotated);
        manager.publishPending();

        assertThat(store.find("d1").orElseThrow().basis().attestationStatus()).isEqualTo("warning");
        assertThat(tier("d1")).isEqualTo(MudPolicyV1.TIER_PLATFORM_ONLY);
    }

    @Test
    void an_older_mud_file_version_never_replaces_a_newer_one() {
        manager.modelChanged(MODEL, file(2));
        manager.modelChanged(MODEL, file(1));
        assertThat(manager.modelVersion(MODEL)).isEqualTo(2);
    }
}
