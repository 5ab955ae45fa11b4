package io.simanchor.support.problem;

/** Problem types every service shares: transport-level mistakes and authentication. */
public final class CommonProblems {

    public static final ProblemType MALFORMED_REQUEST = new ProblemType("MALFORMED_REQUEST", 400,
            "The request body is not valid");
    public static final ProblemType UNKNOWN_FIELD = new ProblemType("UNKNOWN_FIELD", 400,
            "The request body has a field this API does not know");
    public static final ProblemType INVALID_VALUE = new ProblemType("INVALID_VALUE", 400,
            "A value in the request cannot be stored, e.g. it contains a NUL character");
    public static final ProblemType UNAUTHENTICATED = new ProblemType("UNAUTHENTICATED", 401,
            "Authentication is required");
    public static final ProblemType FORBIDDEN = new ProblemType("FORBIDDEN", 403,
            "The caller lacks the role this operation needs");
    public static final ProblemType TENANT_NOT_PERMITTED = new ProblemType("TENANT_NOT_PERMITTED", 403,
            "The operator acts for another tenant");
    public static final ProblemType PLATFORM_OPERATOR_REQUIRED = new ProblemType("PLATFORM_OPERATOR_REQUIRED", 403,
            "This setting applies to every tenant: it needs the platform-operator role");
    public static final ProblemType NOT_FOUND = new ProblemType("NOT_FOUND", 404, "No such resource");
    public static final ProblemType METHOD_NOT_ALLOWED = new ProblemType("METHOD_NOT_ALLOWED", 405,
            "The resource does not support this method");
    public static final ProblemType NOT_ACCEPTABLE = new ProblemType("NOT_ACCEPTABLE", 406,
            "The resource cannot produce the requested media type");
    public static final ProblemType LENGTH_REQUIRED = new ProblemType("LENGTH_REQUIRED", 411,
            "The request must state its Content-Length");
    public static final ProblemType BODY_TOO_LARGE = new ProblemType("BODY_TOO_LARGE", 413,
            "The request body is larger than this endpoint accepts");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE = new ProblemType("UNSUPPORTED_MEDIA_TYPE", 415,
            "The request body has a media type this endpoint does not accept");
    public static final ProblemType RATE_LIMITED = new ProblemType("RATE_LIMITED", 429,
            "Too many requests from this address or for this SIM or device; retry after the time given");
    public static final ProblemType INTERNAL_ERROR = new ProblemType("INTERNAL_ERROR", 500,
            "The service failed to handle the request");
    public static final ProblemType UNAVAILABLE = new ProblemType("UNAVAILABLE", 503,
            "The service cannot handle the request now; try again later");

    private CommonProblems() {
    }
}
