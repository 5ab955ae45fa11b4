package io.simanchor.attestation.domain;

import java.time.Instant;

/**
 * What the verifier attests about a device: the content of the EAR.
 *
 * @param deviceId the device (the EAR's {@code sub})
 * @param keyThumbprint RFC 7638 thumbprint of the key that signed the evidence (the EAR's {@code cnf.jkt})
 * @param nonce the evidence's nonce, echoed as {@code eat_nonce}
 * @param appraisal status, vector and policy
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 */
public record AttestationResult(String deviceId, String keyThumbprint, String nonce, Appraisal appraisal,
        Instant issuedAt, Instant expiresAt) {
}
