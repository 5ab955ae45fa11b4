package io.simanchor.token.infra.crypto;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.simanchor.token.domain.SigningKeyRing;

/** Where the signing-key ring is kept, shared by every instance (PostgreSQL in production). */
public interface SigningKeyStore {

    /** The ring as stored. */
    SigningKeyRing load();

    /**
     * Applies {@code change} to the stored ring, exclusively across instances, and stores the result if it
     * differs; an operator's change is audited with it.
     *
     * @param auditAs the operator asking, or empty for the service's own schedule
     * @return the ring after the change
     */
    SigningKeyRing change(UnaryOperator<SigningKeyRing> change, Optional<String> auditAs, Instant now);
}
