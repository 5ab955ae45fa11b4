package io.simanchor.token.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rotation rules of the access-token signing keys. The JWKS always holds the current key and the
 * next one, so relying parties that refresh their JWKS cache at least once per rotation period already
 * know a key before it signs anything; a rotated-out key stays published for the longest token lifetime
 * (plus clock skew), so every token it signed keeps validating until it expires, and then disappears.
 *
 * <p>
 * Rotation: the next key becomes current, the current key retires, a fresh key becomes next.
 */
public final class SigningKeyRing {

    private final List<SigningKey> keys;

    public SigningKeyRing(List<SigningKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** A first ring: a current and a next key. */
    public static SigningKeyRing initial(Supplier<SigningKey> newKey, Instant now) {
        return new SigningKeyRing(List.of(newKey.get().activated(now), newKey.get()));
    }

    public List<SigningKey> keys() {
        return keys;
    }

    /** The key that signs now. */
    public Optional<SigningKey> current() {
        return keys.stream().filter(key -> key.state() == SigningKey.State.CURRENT).findFirst();
    }

    /** The keys the JWKS publishes at {@code now}: current, next, and retired ones still needed. */
    public List<SigningKey> published(Instant now) {
        return keys.stream().filter(key -> key.publishedAt(now)).toList();
    }

    /** Whether the scheduled rotation is due: the current key has signed for {@code period}. */
    public boolean rotationDue(Instant now, Duration period) {
        return current().flatMap(SigningKey::activatedAt)
                .map(activated -> !activated.plus(period).isAfter(now))
                .orElse(true);
    }

    /**
     * The ring after one rotation at {@code now}. Retired keys whose publication window has passed are
     * dropped.
     *
     * @param keepRetiredFor the longest access-token lifetime plus the relying parties' clock skew
     */
    public SigningKeyRing rotated(Instant now, Duration keepRetiredFor, Supplier<SigningKey> newKey) {
        List<SigningKey> next = new ArrayList<>();
        boolean promoted = false;
        for (SigningKey key : keys) {
            switch (key.state()) {
                case CURRENT -> next.add(key.retired(now.plus(keepRetiredFor)));
                case NEXT -> {
                    next.add(key.activated(now));
                    promoted = true;
                }
                case RETIRED -> {
                    if (key.publishedAt(now)) {
                        next.add(key);
                    }
                }
            }
        }
        if (!promoted) {
            // A ring without a next key (never written by this class) still rotates to a fresh current.
            next.add(newKey.get().activated(now));
        }
        next.add(newKey.get());
        return new SigningKeyRing(next);
    }

    /** The ring without retired keys that are no longer published. */
    public SigningKeyRing withoutExpired(Instant now) {
        return new SigningKeyRing(keys.stream().filter(key -> key.publishedAt(now)).toList());
    }
}
