package io.simanchor.attestation.domain;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.support.jose.JwsHeader;

/**
 * Evidence as received: parsed, not yet trusted.
 *
 * @param header the JWS protected header
 * @param claims the EAT claims (unknown claims are ignored, RFC 7519 §4)
 * @param signingInput the ASCII bytes the signature covers (RFC 7515 §5.2 step 8)
 * @param signature the raw signature, R || S for ES256 (RFC 7518 §3.4)
 */
public record SignedEvidence(JwsHeader header, EatEvidenceV1 claims, byte[] signingInput, byte[] signature) {
}
