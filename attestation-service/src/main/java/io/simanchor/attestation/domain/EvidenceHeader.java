package io.simanchor.attestation.domain;

import java.util.Set;

/**
 * The protected header of evidence in JWS form (RFC 7515 §4), as far as the verifier looks at it.
 *
 * @param alg the {@code alg} parameter, or null when absent
 * @param typ the {@code typ} parameter, or null when absent
 * @param parameterNames every header parameter present, so that key-carrying and critical parameters can
 *        be refused by name
 */
public record EvidenceHeader(String alg, String typ, Set<String> parameterNames) {

    public EvidenceHeader {
        parameterNames = Set.copyOf(parameterNames);
    }
}
