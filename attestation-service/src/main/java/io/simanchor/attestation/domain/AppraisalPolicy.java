package io.simanchor.attestation.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How evidence of one hardware model is appraised: data provisioned by a policy administrator, not code
 * branches. docs/attestation.md shows the JSON form and the default policy.
 *
 * @param policyId the id the EAR names in {@code ear.appraisal-policy-id}
 * @param requiredClaims EAT claims that must be present, or the evidence is refused
 * @param acceptedDebugStatus {@code dbgstat} values that count as {@link Finding#DEBUG_STATUS_ACCEPTED}
 * @param findings for each finding, the AR4SI claims it sets and their values; a finding without an
 *        entry sets nothing
 */
public record AppraisalPolicy(String policyId, Set<String> requiredClaims, Set<Integer> acceptedDebugStatus,
        Map<Finding, Map<String, Integer>> findings) {

    /** The EAT claims of SIM Anchor evidence (docs/attestation.md); the only ones a policy may require. */
    public static final Set<String> EVIDENCE_CLAIMS = Set.of("eat_nonce", "ueid", "iat", "hwmodel", "swname",
            "swversion", "measurements", "dbgstat", "oemboot");
    /** Claims every policy requires, because appraisal cannot happen without them. */
    public static final Set<String> ALWAYS_REQUIRED = Set.of("eat_nonce", "ueid", "iat");
    /** The AR4SI trustworthiness claims (draft-ietf-rats-ar4si §2.3.4). */
    public static final List<String> TRUSTWORTHINESS_CLAIMS = List.of("instance-identity", "configuration",
            "executables", "file-system", "hardware", "runtime-opaque", "storage-opaque", "sourced-data");

    /** Absent collections are empty (and then reported by {@link #problems()}); null elements are refused. */
    public AppraisalPolicy {
        Map<Finding, Map<String, Integer>> copy = new EnumMap<>(Finding.class);
        if (findings != null) {
            findings.forEach((finding, claims) -> copy.put(Objects.requireNonNull(finding, "finding"),
                    claims == null ? Map.of() : Map.copyOf(claims)));
        }
        findings = Collections.unmodifiableMap(copy);
        requiredClaims = requiredClaims == null ? Set.of() : Set.copyOf(requiredClaims);
        acceptedDebugStatus = acceptedDebugStatus == null ? Set.of() : Set.copyOf(acceptedDebugStatus);
    }

    /** The problems that make this policy unusable; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (policyId == null || !policyId.matches("[A-Za-z0-9._:/-]{1,128}")) {
            problems.add("policyId: 1 to 128 of A-Z a-z 0-9 . _ : / -");
        }
        for (String claim : requiredClaims) {
            if (!EVIDENCE_CLAIMS.contains(claim)) {
                problems.add("requiredClaims: unknown claim " + claim);
            }
        }
        for (String claim : ALWAYS_REQUIRED) {
            if (!requiredClaims.contains(claim)) {
                problems.add("requiredClaims: must include " + claim);
            }
        }
        for (Integer status : acceptedDebugStatus) {
            if (status == null || status < 0 || status > 4) {
                problems.add("acceptedDebugStatus: values are 0 to 4 (RFC 9711 §4.2.9)");
            }
        }
        findings.forEach((finding, claims) -> claims.forEach((claim, value) -> {
            if (!TRUSTWORTHINESS_CLAIMS.contains(claim)) {
                problems.add("findings." + finding + ": unknown trustworthiness claim " + claim);
            }
            if (value == null || value < -128 || value > 127) {
                problems.add("findings." + finding + "." + claim + ": values are -128 to 127");
            }
        }));
        if (!findings.containsKey(Finding.IDENTITY_VERIFIED)
                || !findings.get(Finding.IDENTITY_VERIFIED).containsKey("instance-identity")) {
            problems.add("findings.IDENTITY_VERIFIED: must set instance-identity");
        }
        return problems;
    }
}
