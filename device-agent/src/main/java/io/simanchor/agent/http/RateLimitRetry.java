package io.simanchor.agent.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tries a call again after a 429 (RFC 6585 §4), waiting the server's {@code Retry-After}: identity- and
 * attestation-service limit requests per address and per SIM or device, and a device that gives up on the
 * first 429 would stay unenrolled. Other failures, and a 429 after the last attempt, are the caller's.
 */
public final class RateLimitRetry {

    /** The longest wait honoured; a longer Retry-After fails the call (the caller decides when to come back). */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private RateLimitRetry() {
    }

    /** Runs {@code call}, again after each 429 for at most {@code attempts} attempts in all. */
    public static <T> CompletionStage<T> onTooManyRequests(Supplier<CompletionStage<T>> call, int attempts) {
        return call.get().handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (attempts > 1 && cause instanceof HttpCallException refused && refused.status() == 429) {
                Duration wait = refused.retryAfter().orElse(Duration.ofSeconds(1));
                if (wait.compareTo(MAX_WAIT) <= 0) {
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(Math.max(wait.toMillis(), 100), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> onTooManyRequests(call, attempts - 1));
                }
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }
}
