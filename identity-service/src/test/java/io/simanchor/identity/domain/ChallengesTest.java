package io.simanchor.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.simanchor.support.crypto.MacKey;

/** Stateless challenges: only the key holder makes a nonce, and any change to a challenge id shows. */
class ChallengesTest {

    private static final String ICCID = "8944500102198304826";
    private static final byte[] KEY = "test-only-challenge-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final Challenges challenges = new Challenges(new MacKey(KEY), new SecureRandom(), clock,
            Duration.ofSeconds(60));

    @Test
    void an_issued_challenge_opens_with_its_purpose_subject_and_expiry_and_is_answered_by_its_nonce() {
        IssuedChallenge issued = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);

        Challenge opened = challenges.open(issued.id()).orElseThrow();

        assertThat(opened.purpose()).isEqualTo(Challenge.Purpose.ENROLLMENT);
        assertThat(opened.subject()).isEqualTo(ICCID);
        assertThat(opened.expiresAt()).isEqualTo(Instant.parse("2026-12-02T10:01:00Z")).isEqualTo(issued.expiresAt());
        assertThat(opened.isAnsweredBy(issued.nonce())).isTrue();
        assertThat(Base64.getUrlDecoder().decode(issued.nonce())).hasSize(32);
        assertThat(issued.id().length()).isLessThanOrEqualTo(120);
    }

    @Test
    void every_challenge_is_new() {
        IssuedChallenge first = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);
        IssuedChallenge second = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.nonce()).isNotEqualTo(first.nonce());
        assertThat(challenges.open(second.id()).orElseThrow().serial())
                .isNotEqualTo(challenges.open(first.id()).orElseThrow().serial());
    }

    @Test
    void changing_any_byte_of_a_challenge_id_makes_its_nonce_a_wrong_answer() {
        IssuedChallenge issued = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);
        byte[] body = Base64.getUrlDecoder().decode(issued.id());
        // From the expiry on: version and purpose bytes are checked by open() itself.
        for (int i = 2; i < body.length; i++) {
            byte[] altered = body.clone();
            altered[i] ^= 0x01;
            Challenge opened = challenges.open(MacKey.base64Url(altered)).orElseThrow();
            assertThat(opened.isAnsweredBy(issued.nonce())).as("byte %d", i).isFalse();
        }
    }

    @Test
    void another_purpose_or_another_subject_is_another_challenge() {
        IssuedChallenge rotation = challenges.issue(Challenge.Purpose.KEY_ROTATION, ICCID);
        byte[] body = Base64.getUrlDecoder().decode(rotation.id());
        body[1] = (byte) Challenge.Purpose.ENROLLMENT.ordinal();

        Challenge relabelled = challenges.open(MacKey.base64Url(body)).orElseThrow();

        assertThat(relabelled.purpose()).isEqualTo(Challenge.Purpose.ENROLLMENT);
        assertThat(relabelled.isAnsweredBy(rotation.nonce())).isFalse();
    }

    @Test
    void a_nonce_made_with_another_key_does_not_answer() {
        Challenges foreign = new Challenges(new MacKey("another-test-only-key-of-32-bytes!!!".getBytes(
                StandardCharsets.US_ASCII)), new SecureRandom(), clock, Duration.ofSeconds(60));
        IssuedChallenge forged = foreign.issue(Challenge.Purpose.ENROLLMENT, ICCID);

        assertThat(challenges.open(forged.id()).orElseThrow().isAnsweredBy(forged.nonce())).isFalse();
    }

    @Test
    void instances_sharing_the_key_accept_each_others_challenges() {
        Challenges other = new Challenges(new MacKey(KEY.clone()), new SecureRandom(), clock, Duration.ofSeconds(60));
        IssuedChallenge issued = other.issue(Challenge.Purpose.ENROLLMENT, ICCID);

        assertThat(challenges.open(issued.id()).orElseThrow().isAnsweredBy(issued.nonce())).isTrue();
    }

    @Test
    void expiry_is_read_from_the_challenge() {
        IssuedChallenge issued = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);
        Challenges later = new Challenges(new MacKey(KEY), new SecureRandom(),
                Clock.offset(clock, Duration.ofSeconds(60)), Duration.ofSeconds(60));

        assertThat(challenges.hasExpired(challenges.open(issued.id()).orElseThrow())).isFalse();
        assertThat(later.hasExpired(later.open(issued.id()).orElseThrow())).isTrue();
    }

    @Test
    void malformed_challenge_ids_do_not_open() {
        String valid = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID).id();
        byte[] body = Base64.getUrlDecoder().decode(valid);
        byte[] wrongVersion = body.clone();
        wrongVersion[0] = 2;
        byte[] unknownPurpose = body.clone();
        unknownPurpose[1] = 7;
        byte[] noSubject = java.util.Arrays.copyOf(body, 1 + 1 + 4 + Challenges.SERIAL_BYTES);

        for (String id : new String[]{null, "", "00000000-0000-0000-0000-000000000000", valid + "=",
                valid.replace('-', '+'), "A".repeat(10_000), MacKey.base64Url(wrongVersion),
                MacKey.base64Url(unknownPurpose), MacKey.base64Url(noSubject)}) {
            assertThat(challenges.open(id)).as(String.valueOf(id)).isEmpty();
        }
    }

    @Test
    void a_nonce_is_compared_whole() {
        IssuedChallenge issued = challenges.issue(Challenge.Purpose.ENROLLMENT, ICCID);
        Challenge opened = challenges.open(issued.id()).orElseThrow();

        assertThat(opened.isAnsweredBy(null)).isFalse();
        assertThat(opened.isAnsweredBy("")).isFalse();
        assertThat(opened.isAnsweredBy(issued.nonce().substring(1))).isFalse();
        assertThat(opened.isAnsweredBy(issued.nonce() + "A")).isFalse();
    }

    @Test
    void subjects_are_bounded() {
        assertThatThrownBy(() -> challenges.issue(Challenge.Purpose.ENROLLMENT, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> challenges.issue(Challenge.Purpose.ENROLLMENT, "x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(challenges.open(challenges.issue(Challenge.Purpose.KEY_ROTATION, "x".repeat(64)).id()))
                .isPresent();
    }
}
