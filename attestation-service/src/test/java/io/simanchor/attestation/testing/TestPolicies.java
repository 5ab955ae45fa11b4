package io.simanchor.attestation.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import io.simanchor.attestation.domain.AppraisalPolicy;
import io.simanchor.attestation.domain.Finding;

/** The default appraisal policy of docs/attestation.md, as the domain tests use it. */
public final class TestPolicies {

    public static final AppraisalPolicy DEFAULT;

    static {
        Map<Finding, Map<String, Integer>> findings = new EnumMap<>(Finding.class);
        findings.put(Finding.IDENTITY_VERIFIED, Map.of("instance-identity", 2));
        findings.put(Finding.HWMODEL_MATCHES, Map.of("hardware", 2));
        findings.put(Finding.HWMODEL_MISMATCH, Map.of("hardware", 96));
        findings.put(Finding.MEASUREMENTS_MATCH, Map.of("executables", 2));
        findings.put(Finding.MEASUREMENT_MISMATCH, Map.of("executables", 96));
        findings.put(Finding.UNRECOGNIZED_COMPONENTS, Map.of("executables", 33));
        findings.put(Finding.REFERENCE_VALUES_UNKNOWN, Map.of("executables", 33));
        findings.put(Finding.DEBUG_STATUS_ACCEPTED, Map.of("configuration", 2));
        findings.put(Finding.DEBUG_STATUS_NOT_ACCEPTED, Map.of("configuration", 32));
        findings.put(Finding.OEM_BOOT_NOT_VERIFIED, Map.of("executables", 32));
        DEFAULT = new AppraisalPolicy("simanchor/default/v1", AppraisalPolicy.EVIDENCE_CLAIMS, Set.of(2, 3, 4),
                findings);
    }

    private TestPolicies() {
    }
}
