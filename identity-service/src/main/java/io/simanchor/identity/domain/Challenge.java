package io.simanchor.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A single-use server challenge. A device answers it by signing something that contains the nonce with
 * its SIM key, which proves possession of that key now, not knowledge of an identifier (GSMA CLP.13 6.8,
 * 6.20). Only the nonce's SHA-256 is stored.
 *
 * @param id public id the device sends back
 * @param purpose what the answer may be used for
 * @param subjectId the registration id (enrollment) or device id (key rotation) it is bound to
 * @param nonceHash SHA-256 of the nonce
 * @param expiresAt instant after which it is refused
 */
public record Challenge(UUID id, Purpose purpose, String subjectId, byte[] nonceHash, Instant expiresAt) {

    /** What a challenge may be answered for; a challenge never serves the other purpose. */
    public enum Purpose {
        ENROLLMENT, KEY_ROTATION
    }

    /** Whether the challenge is still valid at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
