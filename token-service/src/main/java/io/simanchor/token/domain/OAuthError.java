package io.simanchor.token.domain;

/** The error codes of RFC 6749 §5.2 the token endpoint uses, with their HTTP status. */
public enum OAuthError {

    INVALID_REQUEST("invalid_request", 400),
    /**
     * RFC 6749 §5.2 makes 401 a "MAY" for a client that did not authenticate with the Authorization header,
     * and this server takes no method but the assertion; 401 is what clients of {@code private_key_jwt}
     * expect for a failed authentication (the FAPI conformance suite checks for it).
     */
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** Not defined for the token endpoint by RFC 6749; used with 429 (RFC 6585 §4) and Retry-After. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 429);

    private final String code;
    private final int httpStatus;

    OAuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The value of the {@code error} member. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
