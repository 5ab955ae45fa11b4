package io.simanchor.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A challenge as presented back by a device, opened by {@link Challenges}. Its fields are authentic only
 * once {@link #isAnsweredBy} holds: the expected nonce is the MAC over them, so a device that answers
 * with it answers this very challenge.
 *
 * @param id the challenge id as the device sent it (for events)
 * @param serial its random part, what is recorded when it is used
 * @param purpose what it may be answered for
 * @param subject the ICCID (enrollment) or device id (key rotation) it is bound to
 * @param expiresAt instant after which it is refused
 * @param expectedNonce the nonce the answer must carry
 */
public record Challenge(String id, byte[] serial, Purpose purpose, String subject, Instant expiresAt,
        String expectedNonce) {

    /**
     * What a challenge may be answered for; a challenge never serves the other purpose. The ordinal is
     * part of the challenge id's format: add new purposes at the end only.
     */
    public enum Purpose {
        ENROLLMENT,
        KEY_ROTATION
    }

    /** Whether {@code presented} is this challenge's nonce, compared in constant time. */
    public boolean isAnsweredBy(String presented) {
        return presented != null && MessageDigest.isEqual(expectedNonce.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the challenge is no longer valid at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
