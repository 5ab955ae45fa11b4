package io.simanchor.identity.domain;

/**
 * Which challenges were used. Challenges themselves are stateless ({@link Challenges}); only a used one
 * leaves a record, kept until it has expired, so each is answered at most once, also across instances.
 * A successful enrollment records its challenge in its own transaction ({@link DeviceStore#enroll}).
 */
public interface ChallengeStore {

    /** Records the challenge as used, in a transaction of its own; {@code false} when it already was. */
    boolean consume(Challenge challenge);

    /** Whether the challenge was already used. */
    boolean wasConsumed(Challenge challenge);
}
