package io.simanchor.attestation.infra.jose;

/** Evidence that is not a well-formed EAT in compact JWS form; the message says why, without echoing input. */
public final class MalformedEvidenceException extends RuntimeException {

    MalformedEvidenceException(String reason) {
        super(reason, null, false, false);
    }
}
