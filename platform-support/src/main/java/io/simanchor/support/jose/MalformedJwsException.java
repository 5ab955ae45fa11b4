package io.simanchor.support.jose;

/** A token that is not a well-formed JWS; the message says why, without echoing the input. */
public final class MalformedJwsException extends RuntimeException {

    public MalformedJwsException(String reason) {
        super(reason, null, false, false);
    }
}
