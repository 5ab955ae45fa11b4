package io.simanchor.identity.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.simanchor.support.crypto.MacKey;

/**
 * Stateless enrollment and key-rotation challenges: issuing one writes nothing, so a challenge request
 * costs no database work and answers alike whether the ICCID is registered or not (the enrollment that
 * follows fails for a stranger). The challenge id carries what the challenge is bound to; the nonce is an
 * HMAC over it, so only a holder of the MAC key can make a nonce, and a device that puts it into its
 * SIM-signed CSR proves possession of its key over a fresh, server-made value (GSMA CLP.13 6.8, 6.20).
 * Single use is enforced by recording the challenge's random serial when it is answered
 * ({@link ChallengeStore}).
 *
 * <p>
 * Challenge id before base64url: version (1) | purpose (1) | expiry, seconds since the epoch, unsigned
 * (4) | serial, random (16) | subject, UTF-8 (1 to {@value #MAX_SUBJECT_BYTES}). Nonce: base64url of
 * HMAC-SHA256 over a domain label and the challenge id bytes (32 bytes).
 */
public final class Challenges {

    static final byte VERSION = 1;
    static final int SERIAL_BYTES = 16;
    static final int MAX_SUBJECT_BYTES = 64;
    private static final int HEADER_BYTES = 1 + 1 + 4 + SERIAL_BYTES;
    private static final int MAX_ID_CHARS = (HEADER_BYTES + MAX_SUBJECT_BYTES + 2) / 3 * 4;
    private static final String LABEL = "simanchor/identity-challenge/v1";

    private final MacKey key;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration ttl;

    public Challenges(MacKey key, SecureRandom random, Clock clock, Duration ttl) {
        this.key = key;
        this.random = random;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A fresh challenge for {@code purpose}, bound to {@code subject}. */
    public IssuedChallenge issue(Challenge.Purpose purpose, String subject) {
        byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
        if (subjectBytes.length == 0 || subjectBytes.length > MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException("a challenge subject has 1 to 64 bytes");
        }
        Instant expiresAt = Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
        byte[] serial = new byte[SERIAL_BYTES];
        random.nextBytes(serial);
        byte[] body = ByteBuffer.allocate(HEADER_BYTES + subjectBytes.length)
                .put(VERSION)
                .put((byte) purpose.ordinal())
                .putInt((int) expiresAt.getEpochSecond())
                .put(serial)
                .put(subjectBytes)
                .array();
        return new IssuedChallenge(MacKey.base64Url(body), nonce(body), expiresAt);
    }

    /**
     * Reads a challenge id sent back by a device. Says nothing about its authenticity, which only the
     * device's answer shows ({@link Challenge#isAnsweredBy}).
     *
     * @return the challenge, or empty when {@code id} is no challenge id of this format
     */
    public Optional<Challenge> open(String id) {
        byte[] body = MacKey.decodeCanonicalBase64Url(id, MAX_ID_CHARS);
        if (body == null || body.length <= HEADER_BYTES || body[0] != VERSION
                || body[1] < 0 || body[1] >= Challenge.Purpose.values().length) {
            return Optional.empty();
        }
        ByteBuffer fields = ByteBuffer.wrap(body, 2, body.length - 2);
        Instant expiresAt = Instant.ofEpochSecond(Integer.toUnsignedLong(fields.getInt()));
        byte[] serial = new byte[SERIAL_BYTES];
        fields.get(serial);
        String subject = new String(body, HEADER_BYTES, body.length - HEADER_BYTES, StandardCharsets.UTF_8);
        return Optional.of(new Challenge(id, serial, Challenge.Purpose.values()[body[1]], subject, expiresAt,
                nonce(body)));
    }

    /** Whether {@code challenge} has expired by now. */
    public boolean hasExpired(Challenge challenge) {
        return challenge.isExpiredAt(clock.instant());
    }

    private String nonce(byte[] body) {
        return MacKey.base64Url(key.tag(LABEL, "", body, body.length));
    }
}
