package io.simanchor.support.runtime;

import java.util.concurrent.CompletionException;

/** What a failed {@link java.util.concurrent.CompletionStage} failed with. */
public final class CompletionFailures {

    private CompletionFailures() {
    }

    /**
     * The exception itself: a stage that failed passes its exception to dependent stages wrapped in a
     * {@link CompletionException}, which callers answering a request (or logging it) must look through.
     */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause()
                : failure;
    }
}
