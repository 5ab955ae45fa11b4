package io.simanchor.identity.domain;

import java.util.Optional;
import java.util.UUID;

/** Where challenges live until answered. */
public interface ChallengeStore {

    /** Stores a new challenge. */
    void save(Challenge challenge);

    /**
     * Atomically marks the challenge used and returns it, or returns empty when it does not exist or was
     * already used. Exactly one caller ever gets a given challenge, also across service instances.
     */
    Optional<Challenge> consume(UUID id);

    /** Whether a challenge with this id existed and was already consumed (a replay). */
    boolean wasConsumed(UUID id);
}
