package io.simanchor.token.domain;

import java.time.Instant;

import io.simanchor.api.attestation.ArStatus;

/**
 * An attestation result that passed every check.
 *
 * @param status the device submodule's {@code ear.status}
 * @param policyId its {@code ear.appraisal-policy-id}
 */
public record VerifiedEar(ArStatus status, String policyId, Instant issuedAt, Instant expiresAt) {
}
