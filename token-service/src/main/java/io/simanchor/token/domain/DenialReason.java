package io.simanchor.token.domain;

/**
 * Every reason the token endpoint refuses a request, with the RFC 6749 §5.2 error it maps to. The reason
 * code goes to {@code simanchor.token-events} (and, for attacks, {@code simanchor.security-events}); the
 * client sees the {@link #publicDescription()}, which for anything that depends on the device's
 * existence, key or state is deliberately the same, so the endpoint is no oracle for device ids.
 */
public enum DenialReason {

    // The request itself (RFC 6749 §5.2 invalid_request / unsupported_grant_type).
    PARAMETER_MISSING(OAuthError.INVALID_REQUEST, "a required parameter is missing", false),
    PARAMETER_REPEATED(OAuthError.INVALID_REQUEST, "a parameter is repeated", true),
    GRANT_TYPE_UNSUPPORTED(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type must be client_credentials", false),
    ASSERTION_TYPE_UNSUPPORTED(OAuthError.INVALID_CLIENT,
            "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer", false),

    // Client authentication, RFC 7521 §4.2.1 and RFC 7523 §3: always invalid_client.
    ASSERTION_MISSING(OAuthError.INVALID_CLIENT, "client authentication is required: send a client_assertion",
            false),
    ASSERTION_MALFORMED(OAuthError.INVALID_CLIENT, "the client assertion is not a well-formed JWT", true),
    ASSERTION_ALG_NOT_ALLOWED(OAuthError.INVALID_CLIENT, "the client assertion must be signed with ES256", true),
    ASSERTION_EMBEDDED_KEY(OAuthError.INVALID_CLIENT,
            "the client assertion header must not carry or point to a key", true),
    ASSERTION_CRIT_UNSUPPORTED(OAuthError.INVALID_CLIENT, "the client assertion has critical header extensions", true),
    ASSERTION_CLAIM_MISSING(OAuthError.INVALID_CLIENT,
            "the client assertion lacks iss, sub, aud, jti, iat or exp", false),
    ASSERTION_SUBJECT_MISMATCH(OAuthError.INVALID_CLIENT, "the client assertion's iss and sub must be equal", true),
    ASSERTION_AUDIENCE_INVALID(OAuthError.INVALID_CLIENT,
            "the client assertion's aud must be this issuer or its token endpoint", true),
    ASSERTION_EXPIRED(OAuthError.INVALID_CLIENT, "the client assertion has expired", false),
    ASSERTION_NOT_YET_VALID(OAuthError.INVALID_CLIENT, "the client assertion is issued in the future", true),
    ASSERTION_LIFETIME_TOO_LONG(OAuthError.INVALID_CLIENT,
            "the client assertion's exp is more than 5 minutes after its iat", true),
    CLIENT_ID_MISMATCH(OAuthError.INVALID_CLIENT, "client_id, when sent, must be the client assertion's sub", true),
    DEVICE_UNKNOWN(OAuthError.INVALID_CLIENT, "client authentication failed", true),
    ASSERTION_SIGNATURE_INVALID(OAuthError.INVALID_CLIENT, "client authentication failed", true),
    ASSERTION_REPLAYED(OAuthError.INVALID_CLIENT, "the client assertion was already used", true),
    /**
     * Removed or given a new key while its {@code jti} was recorded. Its assertion verified, so it is no attack;
     * the client is told what {@link #DEVICE_UNKNOWN} tells it.
     */
    DEVICE_CHANGED(OAuthError.INVALID_CLIENT, "client authentication failed", false),

    // The device, once authenticated.
    DEVICE_NOT_ACTIVE(OAuthError.UNAUTHORIZED_CLIENT, "the device may not obtain tokens", true),

    // The attestation result the device presents (the grant).
    EAR_MISSING(OAuthError.INVALID_REQUEST, "attestation_result is required", false),
    EAR_MALFORMED(OAuthError.INVALID_GRANT, "the attestation result is not a well-formed EAR", true),
    EAR_SIGNATURE_INVALID(OAuthError.INVALID_GRANT,
            "the attestation result is not signed by a verifier this server trusts", true),
    EAR_EXPIRED(OAuthError.INVALID_GRANT, "the attestation result has expired; attest again", false),
    EAR_TOO_OLD(OAuthError.INVALID_GRANT,
            "the attestation result is older than this server accepts; attest again", false),
    EAR_NOT_YET_VALID(OAuthError.INVALID_GRANT, "the attestation result is issued in the future", true),
    EAR_OTHER_DEVICE(OAuthError.INVALID_GRANT, "the attestation result is for another device or key", true),
    EAR_SUPERSEDED(OAuthError.INVALID_GRANT,
            "a newer appraisal of this device supersedes the attestation result; attest again", true),
    EAR_STATUS_NOT_ALLOWED(OAuthError.INVALID_GRANT,
            "the attestation status does not allow a token for this scope", false),

    // What is asked for.
    SCOPE_INVALID(OAuthError.INVALID_SCOPE, "the scope is unknown", false),

    // Load shedding: RFC 6585 §4, 429 with Retry-After.
    RATE_LIMITED(OAuthError.TEMPORARILY_UNAVAILABLE, "too many requests; retry later", false);

    private final OAuthError error;
    private final String publicDescription;
    private final boolean attack;

    DenialReason(OAuthError error, String publicDescription, boolean attack) {
        this.error = error;
        this.publicDescription = publicDescription;
        this.attack = attack;
    }

    /** The RFC 6749 §5.2 error code. */
    public OAuthError error() {
        return error;
    }

    /** What the client is told in {@code error_description}. */
    public String publicDescription() {
        return publicDescription;
    }

    /** Whether the refusal also goes to {@code simanchor.security-events}: it looks like an attack. */
    public boolean attack() {
        return attack;
    }
}
