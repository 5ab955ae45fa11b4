package io.simanchor.attestation.domain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.simanchor.support.crypto.MacKey;

/**
 * Stateless attestation nonces: issuing one writes nothing anywhere, because millions of devices attest
 * daily. A nonce carries 32 random bytes, its expiry and a MAC that binds both to the device it was
 * issued for; any instance holding the MAC key can check it. Single use is enforced where the evidence
 * is accepted, by recording the nonce's random part as consumed (see {@link AppraisalLedger}).
 *
 * <p>
 * Layout before base64url (53 bytes, 71 characters): version (1) | random (32) | expiry, seconds since
 * the epoch, unsigned (4) | HMAC-SHA256 over a domain label, the device id and the preceding 37 bytes,
 * truncated to 16 bytes (RFC 2104 §5: no less than half the hash output).
 */
public final class AttestationNonces {

    static final byte VERSION = 1;
    static final int RANDOM_BYTES = 32;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = 1 + RANDOM_BYTES + 4 + MAC_BYTES;
    private static final String LABEL = "simanchor/attestation-nonce/v1";

    private final MacKey macKey;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration ttl;

    public AttestationNonces(byte[] macKey, SecureRandom random, Clock clock, Duration ttl) {
        this(new MacKey(macKey), random, clock, ttl);
    }

    public AttestationNonces(MacKey macKey, SecureRandom random, Clock clock, Duration ttl) {
        this.macKey = macKey;
        this.random = random;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A fresh nonce for {@code deviceId}. */
    public IssuedNonce issue(String deviceId) {
        Instant expiresAt = clock.instant().plus(ttl);
        ByteBuffer nonce = ByteBuffer.allocate(LENGTH);
        byte[] randomPart = new byte[RANDOM_BYTES];
        random.nextBytes(randomPart);
        nonce.put(VERSION).put(randomPart).putInt((int) expiresAt.getEpochSecond());
        nonce.put(mac(deviceId, nonce.array()));
        return new IssuedNonce(MacKey.base64Url(nonce.array()),
                Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /**
     * Checks that {@code nonce} was issued by a holder of the MAC key for {@code deviceId} and has not
     * expired. Says nothing about whether it was used before.
     */
    public NonceCheck check(String nonce, String deviceId) {
        byte[] bytes = MacKey.decodeCanonicalBase64Url(nonce, 100);
        if (bytes == null || bytes.length != LENGTH || bytes[0] != VERSION) {
            return NonceCheck.failed(NonceCheck.Outcome.MALFORMED);
        }
        byte[] presentedMac = Arrays.copyOfRange(bytes, LENGTH - MAC_BYTES, LENGTH);
        if (!MessageDigest.isEqual(presentedMac, mac(deviceId, bytes))) {
            // Forged, altered, or issued for another device: indistinguishable, and that is intended.
            return NonceCheck.failed(NonceCheck.Outcome.NOT_FOR_THIS_DEVICE);
        }
        Instant expiresAt = Instant.ofEpochSecond(Integer.toUnsignedLong(
                ByteBuffer.wrap(bytes, 1 + RANDOM_BYTES, 4).getInt()));
        if (!clock.instant().isBefore(expiresAt)) {
            return NonceCheck.failed(NonceCheck.Outcome.EXPIRED);
        }
        return NonceCheck.valid(Arrays.copyOfRange(bytes, 1, 1 + RANDOM_BYTES), expiresAt);
    }

    private byte[] mac(String deviceId, byte[] nonce) {
        return Arrays.copyOf(macKey.tag(LABEL, deviceId, nonce, LENGTH - MAC_BYTES), MAC_BYTES);
    }

    /** A nonce as handed to the device. */
    public record IssuedNonce(String nonce, Instant expiresAt) {
    }

    /**
     * The verdict on a presented nonce.
     *
     * @param outcome valid or why not
     * @param id the nonce's random part, what the ledger records as consumed (only when valid)
     * @param expiresAt the nonce's expiry (only when valid)
     */
    public record NonceCheck(Outcome outcome, byte[] id, Instant expiresAt) {

        /** Why a nonce is or is not acceptable. */
        public enum Outcome {
            VALID,
            MALFORMED,
            NOT_FOR_THIS_DEVICE,
            EXPIRED
        }

        static NonceCheck valid(byte[] id, Instant expiresAt) {
            return new NonceCheck(Outcome.VALID, id, expiresAt);
        }

        static NonceCheck failed(Outcome outcome) {
            return new NonceCheck(outcome, null, null);
        }
    }
}
