package io.simanchor.mud.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.events.MudPolicyV1.Rule;
import io.simanchor.mud.infra.json.StrictMudDocuments;
import io.simanchor.mud.testing.MudFiles;

class PolicyCalculatorTest {

    private static final PolicySettings SETTINGS = new PolicySettings(
            List.of(new PolicySettings.Endpoint("attestation", "attestation.example", 443),
                    new PolicySettings.Endpoint("token", "token.example", 443),
                    new PolicySettings.Endpoint("update", "198.51.100.0/24", 8443)),
            Set.of("attestation", "update"), List.of("10.0.0.0/8", "fd00::/8"), Map.of(),
            Map.of("meter-m2", List.of("head-end.example", "192.0.2.0/28")), "deny-all");
    private static final PolicyCalculator CALCULATOR = new PolicyCalculator(SETTINGS);

    private static ModelPolicy demoFile(String model) {
        MudFileValidator.Location location = new MudFileValidator.Location(
                MudFiles.URLS.fileUrl(MudFiles.DEMO_MANUFACTURER, model),
                MudFiles.URLS.signatureUrl(MudFiles.DEMO_MANUFACTURER, model));
        MudFile file = MudFileValidator.validate(new StrictMudDocuments().parse(MudFiles.demo(model)
                .getBytes(StandardCharsets.UTF_8)), location);
        return new ModelPolicy(3, location.mudUrl(), file);
    }

    private static DeviceFacts device(String model, DeviceState state, String status) {
        return new DeviceFacts("d1", "t", MudFiles.DEMO_MANUFACTURER, model, "k", state,
                status == null ? null : new DeviceFacts.Attestation(status, "p", "k", Instant.EPOCH));
    }

    private static Rule rule(DerivedPolicy policy, String name) {
        return policy.rules().stream().filter(rule -> rule.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void an_affirming_device_gets_its_models_rules_seen_from_the_device() {
        DerivedPolicy policy = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "affirming"),
                Optional.of(demoFile("tracker-x1")));

        assertThat(policy.tier()).isEqualTo(MudPolicyV1.TIER_MUD);
        assertThat(policy.basis().mudFileVersion()).isEqualTo(3);
        Rule telemetry = rule(policy, "mud-tracker-x1-v4fr/telemetry");
        assertThat(telemetry.remoteHosts()).containsExactly("telemetry.simanchor.local");
        assertThat(telemetry.remotePort()).isEqualTo(new MudPolicyV1.PortMatch("eq", 8883, null, null));
        assertThat(telemetry.initiatedBy()).isEqualTo("device");
        // In a to-device ACL the remote end is the source: its source port is the remote port.
        Rule replies = rule(policy, "mud-tracker-x1-v4to/telemetry-replies");
        assertThat(replies.direction()).isEqualTo("to-device");
        assertThat(replies.remotePort().port()).isEqualTo(8883);
        assertThat(replies.devicePort()).isNull();
        assertThat(rule(policy, "mud-tracker-x1-v4fr/fleet-peers").peerGroup())
                .isEqualTo(new MudPolicyV1.PeerGroup("same-manufacturer", MudFiles.DEMO_MANUFACTURER));
    }

    @Test
    void abstractions_expand_to_what_the_platform_knows() {
        DerivedPolicy policy = CALCULATOR.derive(device("meter-m2", DeviceState.ACTIVE, "affirming"),
                Optional.of(demoFile("meter-m2")));

        Rule controller = rule(policy, "mud-meter-m2-v4fr/controller");
        assertThat(controller.remoteHosts()).containsExactly("head-end.example");
        assertThat(controller.remoteNetworks()).containsExactly("192.0.2.0/28");
        // Only the IPv4 local networks, in an IPv4 ACL.
        assertThat(rule(policy, "mud-meter-m2-v4to/local-modbus").remoteNetworks()).containsExactly("10.0.0.0/8");
    }

    @Test
    void an_unconfigured_controller_leaves_its_rule_out_rather_than_widening_anything() {
        PolicyCalculator withoutControllers = new PolicyCalculator(new PolicySettings(SETTINGS.platformEndpoints(),
                SETTINGS.quarantineEndpoints(), SETTINGS.localNetworks(), Map.of(), Map.of(), "deny-all"));
        DerivedPolicy policy = withoutControllers.derive(device("meter-m2", DeviceState.ACTIVE, "affirming"),
                Optional.of(demoFile("meter-m2")));

        assertThat(policy.rules()).extracting(Rule::name).doesNotContain("mud-meter-m2-v4fr/controller");
        assertThat(policy.reasons()).contains("MY_CONTROLLER_NOT_CONFIGURED");
    }

    @Test
    void a_controller_with_nothing_of_the_acls_ip_version_leaves_its_rule_out_instead_of_matching_any_remote() {
        PolicyCalculator v6Controller = new PolicyCalculator(new PolicySettings(SETTINGS.platformEndpoints(),
                SETTINGS.quarantineEndpoints(), SETTINGS.localNetworks(), Map.of(),
                Map.of("meter-m2", List.of("2001:db8::/64")), "deny-all"));
        DerivedPolicy policy = v6Controller.derive(device("meter-m2", DeviceState.ACTIVE, "affirming"),
                Optional.of(demoFile("meter-m2")));

        assertThat(policy.rules()).extracting(Rule::name).doesNotContain("mud-meter-m2-v4fr/controller");
        assertThat(policy.reasons()).contains("MY_CONTROLLER_EXPANDS_TO_NOTHING");
        assertThat(policy.rules()).allSatisfy(rule -> assertThat(rule.remoteHosts() != null
                || rule.remoteNetworks() != null || rule.peerGroup() != null).as(rule.name()).isTrue());
    }

    @Test
    void a_status_the_verifier_could_not_decide_quarantines() {
        DerivedPolicy policy = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "none"),
                Optional.of(demoFile("tracker-x1")));
        assertThat(policy.tier()).isEqualTo(MudPolicyV1.TIER_QUARANTINE);
        assertThat(policy.reasons()).containsExactly("ATTESTATION_NONE");
    }

    @Test
    void the_tier_follows_state_and_attestation() {
        Optional<ModelPolicy> file = Optional.of(demoFile("tracker-x1"));
        assertThat(CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "warning"), file).rules())
                .extracting(Rule::name)
                .containsExactly("platform:attestation", "platform:token", "platform:update");
        DerivedPolicy quarantine = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "contraindicated"), file);
        assertThat(quarantine.rules()).extracting(Rule::name)
                .containsExactly("platform:attestation", "platform:update");
        assertThat(rule(quarantine, "platform:update").remoteNetworks()).containsExactly("198.51.100.0/24");
        assertThat(rule(quarantine, "platform:update").family()).isEqualTo("ipv4");
        assertThat(CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, null), file).reasons())
                .containsExactly("NOT_ATTESTED");
        DerivedPolicy suspended = CALCULATOR.derive(device("tracker-x1", DeviceState.SUSPENDED, "affirming"), file);
        assertThat(suspended.tier()).isEqualTo(MudPolicyV1.TIER_DENY_ALL);
        assertThat(suspended.rules()).isEmpty();
        assertThat(suspended.reasons()).containsExactly("DEVICE_SUSPENDED");
        DerivedPolicy noFile = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "affirming"),
                Optional.empty());
        assertThat(noFile.tier()).isEqualTo(MudPolicyV1.TIER_NO_MUD_FILE);
        assertThat(noFile.rules()).isEmpty();
    }

    @Test
    void equal_derivations_have_equal_digests() {
        Optional<ModelPolicy> file = Optional.of(demoFile("tracker-x1"));
        DerivedPolicy first = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "affirming"), file);
        DerivedPolicy again = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "affirming"), file);
        DerivedPolicy warning = CALCULATOR.derive(device("tracker-x1", DeviceState.ACTIVE, "warning"), file);
        assertThat(first.digest()).isEqualTo(again.digest()).isNotEqualTo(warning.digest());
    }
}
