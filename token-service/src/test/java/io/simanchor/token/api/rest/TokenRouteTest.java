package io.simanchor.token.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.token.config.ServiceWiring;
import io.simanchor.token.domain.AccessTokenSigner;
import io.simanchor.token.domain.AssertionLedger;
import io.simanchor.token.domain.ClientAssertion;
import io.simanchor.token.domain.DeviceView;
import io.simanchor.token.domain.EarCheck;
import io.simanchor.token.domain.RateLimiter;
import io.simanchor.token.domain.TokenPolicy;
import io.simanchor.token.domain.TokenService;
import io.simanchor.token.testing.RecordingTokenEvents;
import io.simanchor.token.testing.TestDevice;
import io.simanchor.token.testing.TestJws;
import io.simanchor.token.testing.VerifierKeyResource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The route's answers where the domain does not decide: a bug below it and a ledger that cannot record
 * must still get the client an answer (500 problem+json, 503 {@code temporarily_unavailable}), never a
 * connection left hanging; a client that waits for {@code 100 Continue} gets it. The route runs on a bare
 * Vert.x server here, so the failures can be injected; TokenApiTest covers the running service.
 */
class TokenRouteTest {

    private static final String ISSUER = "https://token.simanchor.test";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private final TestDevice device = TestDevice.create();
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int port;

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_bug_below_the_route_gets_a_500_problem_not_a_hanging_connection() throws Exception {
        AccessTokenSigner failingSigner = claims -> {
            throw new IllegalStateException("the token signing keys are not loaded");
        };
        serve(service(failingSigner, recordingLedger(), published()));

        HttpResponse<String> response = post(form());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("INTERNAL_ERROR").doesNotContain("IllegalStateException");
    }

    @Test
    void a_ledger_that_cannot_record_gets_503_temporarily_unavailable_and_nothing_issued() throws Exception {
        AssertionLedger down = (id, expiresAt) -> CompletableFuture
                .failedFuture(new PersistenceException("database down"));
        serve(service(signer(), down, published()));

        HttpResponse<String> response = post(form());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"").doesNotContain("access_token");
    }

    @Test
    void an_issued_event_neither_kafka_nor_the_outbox_took_gets_503_and_nothing_issued() throws Exception {
        serve(service(signer(), recordingLedger(),
                published().failingWith(new PersistenceException("outbox full: events not written"))));

        HttpResponse<String> response = post(form());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"error\":\"temporarily_unavailable\"").doesNotContain("access_token");
    }

    @Test
    void a_client_waiting_for_100_continue_gets_it_and_then_its_token() throws Exception {
        serve(service(signer(), recordingLedger(), published()));
        byte[] body = form().getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + ServiceWiring.TOKEN_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing of the body is sent until the server says so: without the interim answer this times out.
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(readLine(in)).isEmpty();
            out.write(body);
            out.flush();
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    private void serve(TokenService tokens) throws Exception {
        Router router = Router.router(vertx);
        new TokenRoute(tokens, new ObjectMapper()).install(router);
        HttpServer server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    private TokenService service(AccessTokenSigner signer, AssertionLedger ledger, RecordingTokenEvents events) {
        DeviceView view = new DeviceView(device.id(), device.publicKey(), DeviceState.ACTIVE, Optional.empty());
        Clock clock = Clock.systemUTC();
        TokenPolicy policy = new TokenPolicy(
                Map.of("device", new TokenPolicy.Scope("device", "simanchor-devices", Duration.ofMinutes(10), false)),
                "device", Duration.ofHours(1));
        EarCheck earCheck = new EarCheck(
                kid -> kid.equals(VerifierKeyResource.KEY_ID)
                        ? Optional.of(EcPublicKey.of(VerifierKeyResource.KEY.getPublic()))
                        : Optional.empty(),
                Duration.ofMinutes(60), Duration.ofSeconds(30), 100);
        return new TokenService(id -> id.equals(device.id()) ? Optional.of(view) : Optional.empty(), earCheck, policy,
                ledger, signer, events,
                new RateLimiter(new RateLimiter.Limits(100, 100, 10_000, 10_000), System::nanoTime),
                new SecureRandom(),
                clock, new TokenService.Settings(ISSUER,
                        new ClientAssertion.Rules(List.of(ISSUER), Duration.ofMinutes(5), Duration.ofSeconds(30))));
    }

    private static AssertionLedger recordingLedger() {
        return (id, expiresAt) -> CompletableFuture.completedFuture(true);
    }

    private static RecordingTokenEvents published() {
        return new RecordingTokenEvents();
    }

    private static AccessTokenSigner signer() {
        var key = TestJws.p256();
        return claims -> TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", "t1"), claims, key.getPrivate());
    }

    private String form() {
        return "grant_type=client_credentials&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
                + device.assertion(ISSUER) + "&attestation_result=" + device.ear(ArStatus.AFFIRMING);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return client
                .sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ServiceWiring.TOKEN_PATH))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(), HttpResponse.BodyHandlers.ofString())
                .get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
