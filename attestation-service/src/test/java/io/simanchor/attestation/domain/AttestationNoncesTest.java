package io.simanchor.attestation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.simanchor.attestation.domain.AttestationNonces.NonceCheck.Outcome;
import io.simanchor.support.testing.MutableClock;

class AttestationNoncesTest {

    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final AttestationNonces nonces = new AttestationNonces(KEY, new SecureRandom(), clock,
            Duration.ofSeconds(60));

    @Test
    void a_nonce_carries_32_random_bytes_and_checks_for_its_device_until_it_expires() {
        AttestationNonces.IssuedNonce issued = nonces.issue(DEVICE);

        assertThat(issued.nonce()).hasSize(71).matches("[A-Za-z0-9_-]+");
        assertThat(issued.expiresAt()).isEqualTo(Instant.parse("2026-11-23T09:01:00Z"));
        AttestationNonces.NonceCheck check = nonces.check(issued.nonce(), DEVICE);
        assertThat(check.outcome()).isEqualTo(Outcome.VALID);
        assertThat(check.id()).hasSize(32);
        assertThat(check.expiresAt()).isEqualTo(issued.expiresAt());

        clock.advance(Duration.ofSeconds(59));
        assertThat(nonces.check(issued.nonce(), DEVICE).outcome()).isEqualTo(Outcome.VALID);
        clock.advance(Duration.ofSeconds(1));
        assertThat(nonces.check(issued.nonce(), DEVICE).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void every_nonce_is_different() {
        assertThat(nonces.issue(DEVICE).nonce()).isNotEqualTo(nonces.issue(DEVICE).nonce());
    }

    @Test
    void a_nonce_is_bound_to_the_device_it_was_issued_for() {
        String nonce = nonces.issue(DEVICE).nonce();

        assertThat(nonces.check(nonce, "5d0c7b8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f").outcome())
                .isEqualTo(Outcome.NOT_FOR_THIS_DEVICE);
    }

    @Test
    void another_instance_with_the_same_key_accepts_it_and_one_with_another_key_does_not() {
        String nonce = nonces.issue(DEVICE).nonce();
        AttestationNonces sameKey = new AttestationNonces(KEY.clone(), new SecureRandom(), clock,
                Duration.ofSeconds(60));
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        AttestationNonces foreign = new AttestationNonces(otherKey, new SecureRandom(), clock, Duration.ofSeconds(60));

        assertThat(sameKey.check(nonce, DEVICE).outcome()).isEqualTo(Outcome.VALID);
        assertThat(foreign.check(nonce, DEVICE).outcome()).isEqualTo(Outcome.NOT_FOR_THIS_DEVICE);
    }

    @Test
    void an_altered_nonce_fails_its_mac_and_a_lengthened_expiry_too() {
        byte[] bytes = Base64.getUrlDecoder().decode(nonces.issue(DEVICE).nonce());
        byte[] randomAltered = bytes.clone();
        randomAltered[5] ^= 1;
        byte[] expiryAltered = bytes.clone();
        expiryAltered[1 + 32] += 1; // about 194 days later

        assertThat(nonces.check(encode(randomAltered), DEVICE).outcome()).isEqualTo(Outcome.NOT_FOR_THIS_DEVICE);
        assertThat(nonces.check(encode(expiryAltered), DEVICE).outcome()).isEqualTo(Outcome.NOT_FOR_THIS_DEVICE);
    }

    @Test
    void anything_that_is_not_one_of_our_nonces_is_malformed() {
        byte[] bytes = Base64.getUrlDecoder().decode(nonces.issue(DEVICE).nonce());
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 2;

        assertThat(nonces.check(null, DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check("", DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check("not a nonce", DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check(encode(Arrays.copyOf(bytes, 52)), DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check(encode(otherVersion), DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check(Base64.getUrlEncoder().encodeToString(bytes), DEVICE).outcome())
                .as("padded spelling")
                .isEqualTo(Outcome.MALFORMED);
        assertThat(nonces.check("A".repeat(10_000), DEVICE).outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void a_mac_key_shorter_than_256_bits_is_refused() {
        assertThatThrownBy(() -> new AttestationNonces(new byte[31], new SecureRandom(), clock, Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
