package io.simanchor.agent.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The agent's HTTP transport: JSON requests and answers over one Vert.x client with a keep-alive
 * connection pool. Asynchronous, so a single event loop carries as many calls as the pool has
 * connections; callers get a {@link CompletionStage} and never see a Vert.x type.
 *
 * <p>
 * HTTP/1.1 on purpose: a h2c upgrade attempt on every new connection costs the service more CPU than
 * HTTP/2 saves on a loopback fleet simulation (docs/performance.md).
 *
 * <p>
 * Every call is started on the client's own event loop, whichever thread asks: with calls started from
 * a foreign thread (an open-loop load generator's pacing thread), one request in a few thousand was never
 * handed a pooled connection and its answer never came.
 */
public final class JsonHttp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a call may wait for a pooled connection before it fails. */
    private static final Duration CONNECTION_WAIT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Context loop;
    private final HttpClient client;
    private volatile boolean closed;
    /** Calls handed to the event loop from another thread that it has not started yet. */
    private final Set<Promise<?>> handedOver = ConcurrentHashMap.newKeySet();

    private JsonHttp(Vertx vertx, HttpClient client) {
        this.vertx = vertx;
        this.loop = vertx.getOrCreateContext();
        this.client = client;
    }

    /** A transport keeping up to {@code connections} connections per server open. */
    public static JsonHttp open(int connections) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setConnectTimeout((int) Duration.ofSeconds(10).toMillis()),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        return new JsonHttp(vertx, client);
    }

    /**
     * A request.
     *
     * @param method {@code POST}, {@code PUT}, ...
     * @param url absolute URL
     * @param bearerToken sent as {@code Authorization: Bearer} when present
     * @param timeout longest silence tolerated from the server
     */
    public record Call(String method, URI url, Optional<String> bearerToken, Duration timeout) {

        /** A call with a 30 s time limit. */
        public static Call of(String method, URI url, Optional<String> bearerToken) {
            return new Call(method, url, bearerToken, Duration.ofSeconds(30));
        }
    }

    /** Sends {@code body} as JSON; completes with the answer's JSON, or {@link HttpCallException}. */
    public CompletionStage<JsonNode> json(Call call, Object body, int expectedStatus) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body not serialisable", e);
        }
        return send(call, "application/json", Buffer.buffer(bytes), expectedStatus);
    }

    /** A GET without a body; completes with the answer's JSON, or {@link HttpCallException}. */
    public CompletionStage<JsonNode> get(Call call, int expectedStatus) {
        return onLoop(() -> client.request(options(call, "application/json"))
                .compose(request -> request.send())
                .compose(response -> read(call, response, expectedStatus)))
                .recover(e -> failed(call, e))
                .toCompletionStage();
    }

    /** Sends a text body of the given media type, for example a compact JWS. */
    public CompletionStage<JsonNode> text(Call call, String contentType, String body, int expectedStatus) {
        return send(call, contentType, Buffer.buffer(body), expectedStatus);
    }

    /** Sends an {@code application/x-www-form-urlencoded} body. */
    public CompletionStage<JsonNode> form(Call call, String form, int expectedStatus) {
        return send(call, "application/x-www-form-urlencoded", Buffer.buffer(form), expectedStatus);
    }

    /** Streams a file as the body, without reading it into memory. */
    public CompletionStage<JsonNode> file(Call call, String contentType, Path file, int expectedStatus) {
        return onLoop(() -> vertx.fileSystem()
                .open(file.toString(), new OpenOptions().setRead(true))
                .compose(content -> started(() -> client.request(options(call, contentType)))
                        .compose(request -> request.send(content))
                        .compose(response -> read(call, response, expectedStatus))
                        .eventually(() -> content.close())))
                .recover(e -> failed(call, e))
                .toCompletionStage();
    }

    private CompletionStage<JsonNode> send(Call call, String contentType, Buffer body, int expectedStatus) {
        return onLoop(() -> client.request(options(call, contentType))
                .compose(request -> request.send(body))
                .compose(response -> read(call, response, expectedStatus)))
                .recover(e -> failed(call, e))
                .toCompletionStage();
    }

    private <T> Future<T> onLoop(Supplier<Future<T>> call) {
        if (closed) {
            return Future.failedFuture(closedClient());
        }
        if (Vertx.currentContext() == loop) {
            return started(call);
        }
        Promise<T> answer = Promise.promise();
        handedOver.add(answer);
        loop.runOnContext(ignored -> {
            if (handedOver.remove(answer)) {
                started(call).onComplete(result -> {
                    if (result.succeeded()) {
                        answer.tryComplete(result.result());
                    } else {
                        answer.tryFail(result.cause());
                    }
                });
            }
        });
        // Once Vert.x has stopped, runOnContext drops the task without a word and the answer would never
        // come: a call that raced close() fails here, unless its task has already started.
        if (closed && handedOver.remove(answer)) {
            answer.tryFail(closedClient());
        }
        return answer.future();
    }

    private static IllegalStateException closedClient() {
        return new IllegalStateException("the HTTP client is closed");
    }

    /**
     * The call's future, also when starting it throws instead (Vert.x refuses a URL whose port is out of
     * range with an exception): thrown inside {@code runOnContext}, it would leave the caller's answer
     * pending for ever.
     */
    private static <T> Future<T> started(Supplier<Future<T>> call) {
        try {
            return call.get();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            return Future.failedFuture(e);
        }
    }

    private static RequestOptions options(Call call, String contentType) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(call.method()))
                .setAbsoluteURI(call.url().toString())
                .setConnectTimeout(CONNECTION_WAIT.toMillis())
                .setIdleTimeout(call.timeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        call.bearerToken().ifPresent(token -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        return options;
    }

    private static Future<JsonNode> read(Call call, HttpClientResponse response, int expectedStatus) {
        return response.body().compose(body -> {
            if (response.statusCode() != expectedStatus) {
                return Future.failedFuture(new HttpCallException(call.url().getPath(), response.statusCode(),
                        body.toString(), retryAfter(response.getHeader(HttpHeaders.RETRY_AFTER))));
            }
            try {
                return Future.succeededFuture(JSON.readTree(body.getBytes()));
            } catch (java.io.IOException e) {
                return Future.failedFuture(new HttpCallException(call.url().getPath(), response.statusCode(),
                        "unreadable JSON answer: " + e.getMessage()));
            }
        });
    }

    /** The text of {@code field} in an answer; fails with {@link MalformedAnswerException} when missing. */
    public static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedAnswerException("the answer lacks '" + field + "'");
        }
        return value.asText();
    }

    /** {@code Retry-After} in delta-seconds or as an HTTP date (RFC 9110 §10.2.3); empty when absent or bad. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Future<JsonNode> failed(Call call, Throwable e) {
        if (e instanceof HttpCallException) {
            return Future.failedFuture(e);
        }
        return Future.failedFuture(HttpCallException.noAnswer(call.url().getPath(), e));
    }

    /** Stops the client and its event loop (closing Vert.x closes the client it created). */
    @Override
    public void close() {
        closed = true;
        vertx.close().toCompletionStage().toCompletableFuture().join();
        // Calls handed to the event loop that it never ran (it stopped first).
        handedOver.removeIf(answer -> {
            answer.tryFail(closedClient());
            return true;
        });
    }
}
