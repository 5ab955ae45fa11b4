package io.simanchor.token.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client-credentials token request (RFC 6749 §4.4.2) authenticated with a JWT client assertion (RFC 7523
 * §2.2) and carrying the device's attestation result.
 *
 * @param clientAssertion the compact JWS signed by the device's key
 * @param clientId the {@code client_id} parameter, if sent; RFC 7521 §4.2 makes it optional and requires it to
 *        name the same client as the assertion
 * @param scope the requested scope, if any (space-delimited per RFC 6749 §3.3; SIM Anchor grants one)
 * @param attestationResult the device's current EAR (compact JWS signed by attestation-service)
 */
public record TokenRequest(String clientAssertion, Optional<String> clientId, Optional<String> scope,
        String attestationResult) {

    public static final String GRANT_TYPE = "client_credentials";
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The form parameter carrying the EAR (docs/token-service.md). */
    public static final String ATTESTATION_RESULT = "attestation_result";

    /**
     * The request in decoded form parameters. RFC 6749 §3.2: "Request and response parameters MUST NOT be
     * included more than once", and parameters sent without a value are treated as omitted.
     */
    public static TokenRequest fromForm(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw new TokenDenied(DenialReason.PARAMETER_REPEATED, null,
                        "parameter " + parameter.getKey() + " repeated");
            }
        }
        String grantType = required(form, "grant_type");
        if (!GRANT_TYPE.equals(grantType)) {
            throw new TokenDenied(DenialReason.GRANT_TYPE_UNSUPPORTED, null, "grant_type not client_credentials");
        }
        // RFC 6749 §5.2: a request that includes no client authentication is invalid_client, not
        // invalid_request; one that sends an assertion without saying what kind is only malformed.
        Optional<String> assertion = optional(form, "client_assertion");
        if (assertion.isEmpty()) {
            throw new TokenDenied(DenialReason.ASSERTION_MISSING, null, "no client_assertion");
        }
        String assertionType = required(form, "client_assertion_type");
        if (!ASSERTION_TYPE.equals(assertionType)) {
            throw new TokenDenied(DenialReason.ASSERTION_TYPE_UNSUPPORTED, null, "unsupported client_assertion_type");
        }
        String attestationResult = optional(form, ATTESTATION_RESULT)
                .orElseThrow(() -> new TokenDenied(DenialReason.EAR_MISSING, null, "no attestation_result"));
        return new TokenRequest(assertion.get(), optional(form, "client_id"), optional(form, "scope"),
                attestationResult);
    }

    private static String required(Map<String, List<String>> form, String name) {
        return optional(form, name)
                .orElseThrow(() -> new TokenDenied(DenialReason.PARAMETER_MISSING, null, "missing " + name));
    }

    private static Optional<String> optional(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty()
                ? Optional.empty()
                : Optional.of(values.get(0));
    }
}
