package io.simanchor.agent.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A call that did not get the expected answer; {@code status} 0 means no answer at all. */
public final class HttpCallException extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String body;
    private final Optional<Duration> retryAfter;

    HttpCallException(String path, int status, String body) {
        this(path, status, body, Optional.empty());
    }

    /** A refusal with the server's {@code Retry-After} (RFC 9110 §10.2.3), when it sent one. */
    public HttpCallException(String path, int status, String body, Optional<Duration> retryAfter) {
        this(path, status, body, retryAfter, null);
    }

    private HttpCallException(String path, int status, String body, Optional<Duration> retryAfter, Throwable cause) {
        super(path + " -> " + (status == 0 ? "no response" : status) + ": " + body, cause, false, false);
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    /** No answer came (status 0): {@code cause} is why (a timeout, a refused connection, a closed client). */
    static HttpCallException noAnswer(String path, Throwable cause) {
        return new HttpCallException(path, 0, cause.toString(), Optional.empty(), cause);
    }

    /** How long the server asked the client to wait before trying again (429, 503). */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The answer's body (an RFC 9457 problem or an RFC 6749 error), or the cause when there was none. */
    public String body() {
        return body;
    }

    /** HTTP status, 0 when the service did not answer. */
    public int status() {
        return status;
    }

    /** The RFC 6749 §5.2 {@code error} code the body carries, if it is an OAuth error answer. */
    public Optional<String> oauthError() {
        return bodyField("error");
    }

    /** The {@code code} of the RFC 9457 problem the body carries, if it is one of the platform's problems. */
    public Optional<String> problemCode() {
        return bodyField("code");
    }

    private Optional<String> bodyField(String name) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(body).path(name).textValue());
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
