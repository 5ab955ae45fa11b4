package io.simanchor.support.crypto;

/**
 * Hostile or broken cryptographic input (PEM, DER, keys, CSRs) refused with a reason. Callers turn the
 * reason into their own problem type; the message is safe to show a client.
 */
public class CryptoInputException extends RuntimeException {

    /** Why the input was refused. */
    public enum Reason {
        /** Not PEM, truncated, bad base64, or more than one block. */
        PEM_MALFORMED,
        /** PEM with a label other than the one expected. */
        PEM_WRONG_LABEL,
        /** DER that does not parse, or with bytes after the outer structure. */
        DER_MALFORMED,
        /** A key that is not an EC key. */
        KEY_TYPE_UNSUPPORTED,
        /** An EC key on a curve other than those in {@link EcCurve}. */
        CURVE_UNSUPPORTED,
        /** A point that is not on the named curve, or the point at infinity. */
        INVALID_CURVE_POINT,
        /** A signature algorithm other than ECDSA with SHA-256. */
        SIGNATURE_ALGORITHM_UNSUPPORTED
    }

    private final Reason reason;

    public CryptoInputException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why the input was refused. */
    public Reason reason() {
        return reason;
    }
}
