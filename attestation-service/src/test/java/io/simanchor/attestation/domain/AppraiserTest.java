package io.simanchor.attestation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.attestation.testing.TestPolicies;

class AppraiserTest {

    private static final String BOOT = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
    private static final String FIRMWARE = "LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564";
    private static final ReferenceValues REFERENCE = new ReferenceValues("tracker-x1", "4.2.0",
            List.of(new MeasurementV1("bootloader", "sha-256", BOOT),
                    new MeasurementV1("firmware", "sha-256", FIRMWARE)));
    private static final DeviceView DEVICE = new DeviceView("0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71", "acme",
            "tracker-x1", EvidenceSigner.p256().publicKey(), DeviceState.ACTIVE);

    @Test
    void genuine_evidence_is_affirming_on_every_claim() {
        Appraisal appraisal = appraise(evidence("tracker-x1", BOOT, 3, true), Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.AFFIRMING);
        assertThat(appraisal.trustworthinessVector()).containsExactly(Map.entry("instance-identity", 2),
                Map.entry("configuration", 2), Map.entry("executables", 2), Map.entry("hardware", 2));
        assertThat(appraisal.reasonCodes()).isEmpty();
        assertThat(appraisal.policyId()).isEqualTo(TestPolicies.DEFAULT.policyId());
    }

    @Test
    void an_unknown_software_version_is_a_warning() {
        Appraisal appraisal = appraise(evidence("tracker-x1", BOOT, 3, true), Optional.empty());

        assertThat(appraisal.status()).isEqualTo(ArStatus.WARNING);
        assertThat(appraisal.trustworthinessVector()).containsEntry("executables", 33);
        assertThat(appraisal.reasonCodes()).containsExactly("REFERENCE_VALUES_UNKNOWN");
    }

    @Test
    void a_digest_that_differs_from_its_reference_value_is_contraindicated() {
        Appraisal appraisal = appraise(evidence("tracker-x1", FIRMWARE, 3, true), Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.CONTRAINDICATED);
        assertThat(appraisal.trustworthinessVector()).containsEntry("executables", 96);
        assertThat(appraisal.reasonCodes()).containsExactly("MEASUREMENT_MISMATCH");
    }

    @Test
    void an_extra_or_missing_component_is_unrecognised() {
        EatEvidenceV1 extra = new EatEvidenceV1("n", "u", 1L, "tracker-x1", "fw", "4.2.0",
                List.of(new MeasurementV1("bootloader", "sha-256", BOOT), new MeasurementV1("firmware", "sha-256",
                        FIRMWARE), new MeasurementV1("debug-shell", "sha-256", BOOT)),
                3, true);

        Appraisal appraisal = appraise(extra, Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.WARNING);
        assertThat(appraisal.reasonCodes()).containsExactly("UNRECOGNIZED_COMPONENTS");
    }

    @Test
    void debug_enabled_is_a_warning_on_configuration() {
        Appraisal appraisal = appraise(evidence("tracker-x1", BOOT, 0, true), Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.WARNING);
        assertThat(appraisal.trustworthinessVector()).containsEntry("configuration", 32);
        assertThat(appraisal.reasonCodes()).containsExactly("DEBUG_STATUS_NOT_ACCEPTED");
    }

    @Test
    void another_hardware_model_than_the_registered_one_is_contraindicated() {
        Appraisal appraisal = appraise(evidence("tracker-x2", BOOT, 3, true), Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.CONTRAINDICATED);
        assertThat(appraisal.reasonCodes()).contains("HWMODEL_MISMATCH");
    }

    @Test
    void measurements_are_not_matched_against_reference_values_of_another_model() {
        ReferenceValues otherModel = new ReferenceValues("tracker-x2", REFERENCE.swVersion(), REFERENCE.measurements());

        Appraisal appraisal = appraise(evidence("tracker-x2", BOOT, 3, true), Optional.of(otherModel));

        assertThat(appraisal.reasonCodes()).contains("HWMODEL_MISMATCH", "REFERENCE_VALUES_UNKNOWN");
    }

    @Test
    void a_non_oem_boot_is_unsafe() {
        Appraisal appraisal = appraise(evidence("tracker-x1", BOOT, 3, false), Optional.of(REFERENCE));

        assertThat(appraisal.status()).isEqualTo(ArStatus.WARNING);
        assertThat(appraisal.reasonCodes()).containsExactly("OEM_BOOT_NOT_VERIFIED");
    }

    @Test
    void the_same_finding_weighs_what_the_policy_says() {
        Map<Finding, Map<String, Integer>> strict = new EnumMap<>(TestPolicies.DEFAULT.findings());
        strict.put(Finding.DEBUG_STATUS_NOT_ACCEPTED, Map.of("configuration", 96));
        AppraisalPolicy strictPolicy = new AppraisalPolicy("strict/v1", TestPolicies.DEFAULT.requiredClaims(),
                TestPolicies.DEFAULT.acceptedDebugStatus(), strict);

        Appraisal appraisal = Appraiser.appraise(DEVICE, evidence("tracker-x1", BOOT, 0, true),
                Optional.of(REFERENCE), strictPolicy);

        assertThat(appraisal.status()).isEqualTo(ArStatus.CONTRAINDICATED);
        assertThat(appraisal.policyId()).isEqualTo("strict/v1");
    }

    private static Appraisal appraise(EatEvidenceV1 evidence, Optional<ReferenceValues> reference) {
        return Appraiser.appraise(DEVICE, evidence, reference, TestPolicies.DEFAULT);
    }

    private static EatEvidenceV1 evidence(String hwModel, String bootDigest, int dbgstat, boolean oemboot) {
        return new EatEvidenceV1("n", "u", 1L, hwModel, "fw", "4.2.0", List.of(
                new MeasurementV1("bootloader", "sha-256", bootDigest),
                new MeasurementV1("firmware", "sha-256", FIRMWARE)), dbgstat, oemboot);
    }
}
