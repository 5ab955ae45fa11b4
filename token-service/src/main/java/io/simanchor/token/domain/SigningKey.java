package io.simanchor.token.domain;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;

/**
 * One access-token signing key (ES256, P-256) and where it is in its life.
 *
 * @param keyId the JWS {@code kid}: the key's RFC 7638 thumbprint
 * @param state {@code NEXT} published but not yet signing, {@code CURRENT} signing, {@code RETIRED} still
 *        published for tokens it signed until {@code unpublishAt}
 * @param unpublishAt when a retired key leaves the JWKS: its retirement plus the longest token lifetime
 */
public record SigningKey(String keyId, State state, KeyPair keyPair, Instant createdAt, Optional<Instant> activatedAt,
        Optional<Instant> unpublishAt) {

    /** Where a key is in its life. */
    public enum State {
        NEXT,
        CURRENT,
        RETIRED
    }

    SigningKey activated(Instant now) {
        return new SigningKey(keyId, State.CURRENT, keyPair, createdAt, Optional.of(now), Optional.empty());
    }

    SigningKey retired(Instant unpublish) {
        return new SigningKey(keyId, State.RETIRED, keyPair, createdAt, activatedAt, Optional.of(unpublish));
    }

    /** Whether relying parties must still find it in the JWKS at {@code now}. */
    public boolean publishedAt(Instant now) {
        return unpublishAt.map(now::isBefore).orElse(true);
    }
}
