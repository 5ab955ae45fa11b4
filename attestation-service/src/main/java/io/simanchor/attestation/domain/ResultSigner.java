package io.simanchor.attestation.domain;

/** Signs attestation results with the verifier's own key, which no other platform component holds. */
public interface ResultSigner {

    /** The EAR (draft-ietf-rats-ear) for {@code result} as a compact JWS, ES256. */
    String sign(AttestationResult result);
}
