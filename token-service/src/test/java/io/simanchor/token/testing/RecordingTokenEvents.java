package io.simanchor.token.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.simanchor.token.domain.TokenDecision;
import io.simanchor.token.domain.TokenEvents;

/** Token events kept in memory; an issued event is durable at once unless a test says otherwise. */
public final class RecordingTokenEvents implements TokenEvents {

    public final List<TokenDecision> issued = new CopyOnWriteArrayList<>();
    public final List<TokenDecision> denied = new CopyOnWriteArrayList<>();
    private volatile CompletionStage<Void> publication = CompletableFuture.completedFuture(null);

    /** From now on, publishing an issued event fails with {@code failure} (nothing durable). */
    public RecordingTokenEvents failingWith(Throwable failure) {
        publication = CompletableFuture.failedFuture(failure);
        return this;
    }

    /** From now on, issued events are durable again. */
    public void succeeding() {
        publication = CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> issued(TokenDecision decision) {
        issued.add(decision);
        return publication;
    }

    @Override
    public void denied(TokenDecision decision, String detail) {
        denied.add(decision);
    }
}
