package io.simanchor.support.problem;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The RFC 9457 problem details body. {@code code} is an extension member (RFC 9457 §3.2) carrying the
 * stable reason code, so clients can switch on it without parsing the type URI.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String code) {

    /** Media type of problem details (RFC 9457 §3). */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The problem for {@code type} with a request-specific {@code detail}. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, type.code());
    }
}
