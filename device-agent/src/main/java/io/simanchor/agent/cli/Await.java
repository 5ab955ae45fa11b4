package io.simanchor.agent.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The command line waits for asynchronous work; failures surface as the exception that caused them. */
final class Await {

    private Await() {
    }

    static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (causeOf(e) instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** What went wrong: the cause a {@link CompletionException} wraps, or {@code failure} itself. */
    static Throwable causeOf(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
