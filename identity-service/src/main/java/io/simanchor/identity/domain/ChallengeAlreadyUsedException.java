package io.simanchor.identity.domain;

/** The store found the challenge already used: a replay, or a concurrent answer that won the race. */
public class ChallengeAlreadyUsedException extends RuntimeException {

    public ChallengeAlreadyUsedException() {
        super("challenge already used", null, false, false);
    }
}
