package io.simanchor.agent.sim;

/**
 * A secure-element operation failed. The reason tells the agent whether trying again can help: a wrong PIN
 * must never be retried (the SIM locks after a few attempts), a device error may pass.
 */
public final class SecureElementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed; the PKCS#11 return value where there is one (PKCS#11 v2.40 §11.1). */
    public enum Reason {

        /** The PKCS#11 library is missing or cannot be loaded. */
        LIBRARY_UNAVAILABLE(false),
        /** No token with the configured slot or label. */
        TOKEN_NOT_FOUND(false),
        /** No private key under the configured alias. */
        KEY_NOT_FOUND(false),
        /** CKR_PIN_INCORRECT: stop; every further attempt brings the SIM closer to locking. */
        PIN_INCORRECT(false),
        /** CKR_PIN_LOCKED. */
        PIN_LOCKED(false),
        /** No PIN configured or readable. */
        PIN_UNAVAILABLE(false),
        /** CKR_DEVICE_ERROR: a transient fault of the SIM or its reader. */
        DEVICE_ERROR(true),
        /** CKR_SESSION_HANDLE_INVALID (or closed): the session is gone; open a new one. */
        SESSION_HANDLE_INVALID(true),
        /** CKR_DEVICE_REMOVED / CKR_TOKEN_NOT_PRESENT: the SIM went away; it may come back. */
        DEVICE_REMOVED(true),
        /** The element returned a signature that does not verify with its public key (GSMA CLP.13 7.4). */
        INVALID_SIGNATURE(true),
        /** Asked to sign a message it signed before: a caller bug that would enable a replay. */
        REPEATED_MESSAGE(false),
        /** The element was closed. */
        CLOSED(false),
        /** Any other failure of the library. */
        FAILED(true);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether trying again later may succeed. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;

    public SecureElementException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SecureElementException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }
}
