package io.simanchor.support.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits until a server a test started answers 200, or fails with what it printed. */
final class ReadinessProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReadinessProbe() {
    }

    /**
     * Polls {@code url} until it answers 200.
     *
     * @param alive whether the process is still running; a dead process fails at once
     * @param logTail the end of its log, for the failure message
     */
    static void awaitOk(URI url, Duration timeout, BooleanSupplier alive, Supplier<String> logTail) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("process exited before " + url + " was ready:\n" + logTail.get());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(url + " not ready within " + timeout + ":\n" + logTail.get());
    }
}
