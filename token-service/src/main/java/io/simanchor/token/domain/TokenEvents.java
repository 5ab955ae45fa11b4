package io.simanchor.token.domain;

import java.util.concurrent.CompletionStage;

/** Publishes the token endpoint's decisions on {@code simanchor.token-events}. */
public interface TokenEvents {

    /**
     * An issued token, published before the token is handed out.
     *
     * @return completes once the event is durable (published, or stored for publication); fails if it is
     *         neither, and then the token must not be handed out
     */
    CompletionStage<Void> issued(TokenDecision decision);

    /**
     * A refusal: to {@code simanchor.token-events}, and to {@code simanchor.security-events} if an attack;
     * the refused request does not wait for it.
     */
    void denied(TokenDecision decision, String detail);
}
