package io.simanchor.attestation.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;

/**
 * Appraises verified evidence against reference values under a policy (RFC 9334 §8.3 appraisal policy
 * for evidence). A pure function: the evidence's signature, nonce and device state were checked before;
 * here only the claims are judged, and every judgement comes from the policy's data.
 */
public final class Appraiser {

    private Appraiser() {
    }

    /**
     * Appraises {@code evidence} of {@code device}.
     *
     * @param reference the reference values for the registered model and the reported swversion, if any
     */
    public static Appraisal appraise(DeviceView device, EatEvidenceV1 evidence, Optional<ReferenceValues> reference,
            AppraisalPolicy policy) {
        List<Finding> findings = new ArrayList<>();
        findings.add(Finding.IDENTITY_VERIFIED);
        boolean registeredModel = device.hwModel().equals(evidence.hwmodel());
        findings.add(registeredModel ? Finding.HWMODEL_MATCHES : Finding.HWMODEL_MISMATCH);
        // Reference values are the registered model's: evidence claiming another model has none to match.
        findings.add(measurements(evidence.measurements(), registeredModel ? reference : Optional.empty()));
        findings.add(debugStatus(evidence.dbgstat(), policy));
        findings.add(evidence.oemboot() == null
                ? Finding.OEM_BOOT_ABSENT
                : evidence.oemboot() ? Finding.OEM_BOOT_VERIFIED : Finding.OEM_BOOT_NOT_VERIFIED);
        return judge(findings, policy);
    }

    private static Finding measurements(List<MeasurementV1> measured, Optional<ReferenceValues> reference) {
        if (measured == null) {
            return Finding.MEASUREMENTS_ABSENT;
        }
        if (reference.isEmpty()) {
            return Finding.REFERENCE_VALUES_UNKNOWN;
        }
        Map<String, String> expected = byComponent(reference.get().measurements());
        Map<String, String> reported = byComponent(measured);
        for (Map.Entry<String, String> component : reported.entrySet()) {
            String digest = expected.get(component.getKey());
            if (digest != null && !digest.equals(component.getValue())) {
                return Finding.MEASUREMENT_MISMATCH;
            }
        }
        return expected.keySet().equals(reported.keySet())
                ? Finding.MEASUREMENTS_MATCH
                : Finding.UNRECOGNIZED_COMPONENTS;
    }

    private static Map<String, String> byComponent(List<MeasurementV1> measurements) {
        // Components are unique: evidence with duplicates is refused before appraisal.
        return measurements.stream()
                .collect(Collectors.toMap(MeasurementV1::component, MeasurementV1::digest, (a, b) -> a));
    }

    private static Finding debugStatus(Integer dbgstat, AppraisalPolicy policy) {
        if (dbgstat == null) {
            return Finding.DEBUG_STATUS_ABSENT;
        }
        return policy.acceptedDebugStatus().contains(dbgstat)
                ? Finding.DEBUG_STATUS_ACCEPTED
                : Finding.DEBUG_STATUS_NOT_ACCEPTED;
    }

    /**
     * Folds the findings into the vector: each claim takes the highest value any finding gives it (AR4SI
     * values grow worse within a claim: 2 approved, 32 unsafe, 96 contraindicated, 97 unrecognised), and
     * the status is the tier of the worst claim (draft-ietf-rats-ear §3.2).
     */
    static Appraisal judge(List<Finding> findings, AppraisalPolicy policy) {
        Map<String, Integer> worst = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        for (Finding finding : findings) {
            Map<String, Integer> claims = policy.findings().getOrDefault(finding, Map.of());
            claims.forEach((claim, value) -> worst.merge(claim, value, Math::max));
            if (claims.values().stream().anyMatch(value -> ArStatus.ofClaim(value).compareTo(ArStatus.WARNING) >= 0)) {
                reasons.add(finding.name());
            }
        }
        Map<String, Integer> vector = new LinkedHashMap<>();
        for (String claim : AppraisalPolicy.TRUSTWORTHINESS_CLAIMS) {
            if (worst.containsKey(claim)) {
                vector.put(claim, worst.get(claim));
            }
        }
        ArStatus status = vector.values().stream().map(ArStatus::ofClaim).max(Enum::compareTo).orElse(ArStatus.NONE);
        return new Appraisal(status, Collections.unmodifiableMap(vector), List.copyOf(reasons), policy.policyId());
    }
}
