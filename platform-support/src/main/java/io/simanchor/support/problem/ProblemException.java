package io.simanchor.support.problem;

/**
 * A failure the client can act on. The message becomes the problem's {@code detail}, so it must help an
 * operator and give an attacker nothing: no secrets, no stack traces, no class names, and never whether
 * a probed identifier exists.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
    }

    /** The kind of failure. */
    public ProblemType type() {
        return type;
    }
}
