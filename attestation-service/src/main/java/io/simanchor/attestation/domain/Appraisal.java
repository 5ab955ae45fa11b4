package io.simanchor.attestation.domain;

import java.util.List;
import java.util.Map;

import io.simanchor.api.attestation.ArStatus;

/**
 * The verifier's judgement of one piece of evidence.
 *
 * @param status the tier of the worst trustworthiness claim
 * @param trustworthinessVector AR4SI claim name to value, in the order of
 *        {@link AppraisalPolicy#TRUSTWORTHINESS_CLAIMS}
 * @param reasonCodes the findings that set a claim below affirming
 * @param policyId the policy applied
 */
public record Appraisal(ArStatus status, Map<String, Integer> trustworthinessVector, List<String> reasonCodes,
        String policyId) {
}
