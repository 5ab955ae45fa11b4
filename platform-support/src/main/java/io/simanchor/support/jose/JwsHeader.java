package io.simanchor.support.jose;

import java.util.Set;

/**
 * The protected header of a JWS (RFC 7515 §4), as far as SIM Anchor's verifiers look at it.
 *
 * @param alg the {@code alg} parameter, or null when absent or not a string
 * @param typ the {@code typ} parameter, or null when absent or not a string
 * @param kid the {@code kid} parameter, or null when absent or not a string
 * @param parameterNames every header parameter present, so that key-carrying and critical parameters can
 *        be refused by name
 */
public record JwsHeader(String alg, String typ, String kid, Set<String> parameterNames) {

    public JwsHeader {
        parameterNames = Set.copyOf(parameterNames);
    }
}
