package io.simanchor.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.attest.EvidenceBuilder;
import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.http.MalformedAnswerException;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SigningMetrics;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.sim.SoftwareSecureElement;
import io.simanchor.agent.token.Credential;
import io.simanchor.agent.token.TokenClient;
import io.simanchor.agent.token.TokenMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/** The device's credential calls against a stub platform that answers badly on purpose. */
class DeviceCredentialsTest {

    private static final Clock SERVER_CLOCK = Clock.systemUTC();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<BiConsumer<HttpServerRequest, Buffer>> answer = new AtomicReference<>();
    private Vertx vertx;
    private HttpServer server;
    private JsonHttp http;
    private SimSigner sim;

    @BeforeEach
    void startStubPlatform() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> answer.get().accept(request, body)))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        http = JsonHttp.open(2);
        sim = new SimSigner(SoftwareSecureElement.generate(new SecureRandom()), Delays.on(timer), new SigningMetrics());
    }

    @AfterEach
    void stop() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        timer.shutdownNow();
    }

    private DeviceCredentials credentials(Clock deviceClock) {
        URI base = URI.create("http://127.0.0.1:" + server.actualPort());
        return new DeviceCredentials("7d1c3f52-0a44-4c55-9a8e-1f0e9b1d2c3a", sim, new AttestationClient(http, base),
                TokenClient.simAnchor(http, base), new EvidenceBuilder.DeviceState("tracker-x1", "fw", "1.0",
                        java.util.List.of(), 3, true),
                Optional.empty(), Delays.on(timer), new ServerClock(deviceClock), new TokenMetrics());
    }

    private void answer(int status, String body, String... headers) {
        answer.set((request, received) -> {
            var response = request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
            for (int i = 0; i < headers.length; i += 2) {
                response.putHeader(headers[i], headers[i + 1]);
            }
            response.end(body);
        });
    }

    @Test
    void a_429_carries_the_servers_retry_after() {
        answer(429, "{\"error\":\"slow_down\"}", "Retry-After", "7");

        Throwable failure = failureOf(
                () -> credentials(SERVER_CLOCK).token(new Credential("ear", Duration.ofHours(1))));

        assertThat(failure).isInstanceOfSatisfying(HttpCallException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        });
    }

    @Test
    void a_token_answer_without_expires_in_is_a_malformed_answer() {
        answer(200,
                "{\"access_token\":\"" + jws(Instant.now(), Duration.ofMinutes(10)) + "\",\"token_type\":\"Bearer\"}");

        Throwable failure = failureOf(
                () -> credentials(SERVER_CLOCK).token(new Credential("ear", Duration.ofHours(1))));

        assertThat(failure).isInstanceOf(MalformedAnswerException.class).hasMessageContaining("expires_in");
    }

    @Test
    void an_ear_that_is_no_jws_is_a_malformed_answer() {
        answer.set((request, body) -> request.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .end(request.path().endsWith("/challenges")
                        ? "{\"nonce\":\"bm9uY2U\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}"
                        : "{\"ear\":\"not-a-jws\",\"status\":\"affirming\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}"));

        Throwable failure = failureOf(() -> credentials(SERVER_CLOCK).attest());

        assertThat(failure).isInstanceOf(MalformedAnswerException.class).hasMessageContaining("attestation result");
    }

    @Test
    void unreadable_json_is_reported_not_thrown_as_a_parser_error() {
        answer(200, "<html>proxy error</html>");

        Throwable failure = failureOf(() -> credentials(SERVER_CLOCK).attest());

        assertThat(failure).isInstanceOf(HttpCallException.class).hasMessageContaining("unreadable JSON");
    }

    @Test
    void a_service_that_is_down_is_a_failure_without_a_status() {
        server.close().toCompletionStage().toCompletableFuture().join();

        Throwable failure = failureOf(() -> credentials(SERVER_CLOCK).attest());

        assertThat(failure).isInstanceOfSatisfying(HttpCallException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void a_device_clock_minutes_off_dates_its_assertions_in_the_platforms_time() throws Exception {
        Clock fiveMinutesSlow = Clock.offset(SERVER_CLOCK, Duration.ofMinutes(-5));
        AtomicReference<String> assertion = new AtomicReference<>();
        answer.set((request, body) -> {
            String form = body.toString(StandardCharsets.UTF_8);
            assertion.set(java.net.URLDecoder.decode(form.replaceAll(".*client_assertion=([^&]*).*", "$1"),
                    StandardCharsets.UTF_8));
            request.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"access_token\":\"" + jws(SERVER_CLOCK.instant(), Duration.ofMinutes(10))
                            + "\",\"expires_in\":600}");
        });
        DeviceCredentials credentials = credentials(fiveMinutesSlow);

        credentials.token(new Credential("ear", Duration.ofHours(1))).toCompletableFuture().get();
        long firstIat = iat(assertion.get());
        credentials.token(new Credential("ear", Duration.ofHours(1))).toCompletableFuture().get();
        long secondIat = iat(assertion.get());

        long now = SERVER_CLOCK.instant().getEpochSecond();
        assertThat(now - firstIat).as("before it learnt the offset").isBetween(295L, 305L);
        assertThat(Math.abs(now - secondIat)).as("after one token").isLessThanOrEqualTo(3L);
    }

    private static long iat(String jws) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1]))
                .get("iat")
                .asLong();
    }

    /** An unsigned-looking but well-formed compact JWS with iat and exp. */
    private static String jws(Instant issuedAt, Duration lifetime) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iat\":" + issuedAt.atOffset(ZoneOffset.UTC).toEpochSecond() + ",\"exp\":"
                + issuedAt.plus(lifetime).getEpochSecond() + "}";
        return base64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(new byte[64]);
    }

    private static Throwable failureOf(java.util.function.Supplier<java.util.concurrent.CompletionStage<?>> call) {
        try {
            call.get().toCompletableFuture().join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
