package io.simanchor.agent.http;

/** A service answered, but not with what its contract promises (a missing field, an unreadable token). */
public final class MalformedAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedAnswerException(String message) {
        super(message);
    }
}
