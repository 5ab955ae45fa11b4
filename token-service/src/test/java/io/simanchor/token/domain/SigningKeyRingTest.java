package io.simanchor.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.simanchor.token.testing.TestJws;

class SigningKeyRingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration KEEP = Duration.ofMinutes(61);

    private final AtomicInteger created = new AtomicInteger();
    private final Supplier<SigningKey> newKey = () -> new SigningKey("k" + created.incrementAndGet(),
            SigningKey.State.NEXT, TestJws.p256(), T0, Optional.empty(), Optional.empty());

    @Test
    void a_new_ring_publishes_its_current_and_next_key() {
        SigningKeyRing ring = SigningKeyRing.initial(newKey, T0);

        assertThat(ring.current()).map(SigningKey::keyId).contains("k1");
        assertThat(ring.published(T0)).extracting(SigningKey::keyId).containsExactly("k1", "k2");
    }

    @Test
    void rotation_signs_with_the_key_published_in_advance_and_keeps_the_old_one_for_the_token_lifetime() {
        SigningKeyRing ring = SigningKeyRing.initial(newKey, T0).rotated(T0.plusSeconds(60), KEEP, newKey);

        assertThat(ring.current()).map(SigningKey::keyId).contains("k2");
        assertThat(ring.published(T0.plusSeconds(60))).extracting(SigningKey::keyId)
                .containsExactly("k1", "k2", "k3");
        assertThat(ring.published(T0.plusSeconds(60).plus(KEEP))).extracting(SigningKey::keyId)
                .containsExactly("k2", "k3");
    }

    @Test
    void retired_keys_past_their_window_are_dropped_at_the_next_rotation() {
        SigningKeyRing ring = SigningKeyRing.initial(newKey, T0)
                .rotated(T0.plusSeconds(60), KEEP, newKey)
                .rotated(T0.plus(Duration.ofHours(3)), KEEP, newKey);

        assertThat(ring.keys()).extracting(SigningKey::keyId).containsExactly("k2", "k3", "k4");
        assertThat(ring.current()).map(SigningKey::keyId).contains("k3");
    }

    @Test
    void rotation_is_due_once_the_current_key_has_signed_for_the_period() {
        SigningKeyRing ring = SigningKeyRing.initial(newKey, T0);

        assertThat(ring.rotationDue(T0.plus(Duration.ofHours(23)), Duration.ofHours(24))).isFalse();
        assertThat(ring.rotationDue(T0.plus(Duration.ofHours(24)), Duration.ofHours(24))).isTrue();
        assertThat(new SigningKeyRing(java.util.List.of()).rotationDue(T0, Duration.ofHours(24))).isTrue();
    }
}
