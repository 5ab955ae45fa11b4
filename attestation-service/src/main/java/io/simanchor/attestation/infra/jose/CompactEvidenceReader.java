package io.simanchor.attestation.infra.jose;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.attestation.domain.SignedEvidence;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.jose.StrictJws;

/**
 * Reads evidence in JWS compact serialization (RFC 7515 §7.1) into {@link SignedEvidence} with the
 * platform's strict JWS rules ({@link StrictJws}: canonical base64url, no duplicate members, no coercion).
 * Nothing is trusted here; the signature is checked by the domain against the enrolled key.
 */
public final class CompactEvidenceReader {

    /** Evidence larger than this is refused before it is decoded; the HTTP limit is the same. */
    public static final int MAX_LENGTH = 16 * 1024;

    private CompactEvidenceReader() {
    }

    /** The evidence in {@code compact}, or {@link MalformedJwsException} saying what is wrong. */
    public static SignedEvidence read(String compact) {
        StrictJws jws = StrictJws.parse(compact, MAX_LENGTH);
        return new SignedEvidence(jws.header(), jws.payloadAs(EatEvidenceV1.class), jws.signingInput(),
                jws.signature());
    }
}
