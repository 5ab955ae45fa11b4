package io.simanchor.support.problem;

import java.net.URI;
import java.util.Locale;

/**
 * A stable kind of failure: the RFC 9457 {@code type} URI, its HTTP status and title, and the reason
 * code that security events and logs carry. Each service declares its own types as constants; the
 * generic ones are in {@link CommonProblems}.
 *
 * @param code stable upper-snake-case reason code, e.g. {@code CSR_SIGNATURE_INVALID}
 * @param status HTTP status the failure maps to
 * @param title short, human-readable summary that does not change between occurrences (RFC 9457 §3.1.3)
 */
public record ProblemType(String code, int status, String title) {

    /** Base of every problem type URI; docs/problems.md describes each type. */
    public static final String BASE_URI = "https://simanchor.io/problems/";

    public ProblemType {
        if (!code.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("problem code must be UPPER_SNAKE_CASE: " + code);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be 4xx or 5xx: " + status);
        }
    }

    /** The RFC 9457 {@code type} member: {@link #BASE_URI} followed by the code in kebab case. */
    public URI uri() {
        return URI.create(BASE_URI + code.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
