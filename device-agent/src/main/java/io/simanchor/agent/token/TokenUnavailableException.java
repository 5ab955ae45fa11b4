package io.simanchor.agent.token;

/**
 * No valid token can be handed out: none is cached and the caller chose not to wait, or getting one
 * failed for a reason waiting cannot fix (a wrong SIM PIN, a device the platform refuses).
 */
public final class TokenUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
