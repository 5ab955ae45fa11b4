package io.simanchor.agent.http;

/** A call that did not get the expected answer; {@code status} 0 means no answer at all. */
public final class HttpCallException extends RuntimeException {

    private final int status;
    private final String body;

    HttpCallException(String path, int status, String body) {
        super(path + " -> " + (status == 0 ? "no response" : status) + ": " + body, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** The answer's body (an RFC 9457 problem or an RFC 6749 error), or the cause when there was none. */
    public String body() {
        return body;
    }

    /** HTTP status, 0 when the service did not answer. */
    public int status() {
        return status;
    }
}
