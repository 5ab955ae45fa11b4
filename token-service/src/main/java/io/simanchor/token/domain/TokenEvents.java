package io.simanchor.token.domain;

/** Publishes refusals (issued tokens are recorded with their assertion, {@link AssertionLedger}). */
public interface TokenEvents {

    /** A refusal: to {@code simanchor.token-events}, and to {@code simanchor.security-events} if an attack. */
    void denied(TokenDecision decision, String detail);
}
