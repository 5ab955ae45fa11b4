package io.simanchor.token.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.PackagedService;
import io.simanchor.token.testing.TestDevice;
import io.simanchor.token.testing.VerifierKeyResource;

/**
 * Two packaged instances sharing one PostgreSQL, one Kafka and one key-encryption secret, as two
 * Kubernetes replicas would: a client assertion earns one token, from either, and never a second — also
 * when the same request reaches both at the same moment. Both sign with the same key ring.
 */
class JtiReplayAcrossInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ISSUER = "https://token.it.simanchor.test";

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;
    private static PackagedService first;
    private static PackagedService second;

    @BeforeAll
    static void startTwoInstances() throws IOException {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start();
        Map<String, String> env = PackagedService.environment(postgres, "token", kafka);
        env.put("SIMANCHOR_TOKEN_ISSUER", ISSUER);
        env.put("SIMANCHOR_TOKEN_KEYS_ENCRYPTION_KEY",
                "aXQtb25seS1rZXktZW5jcnlwdGlvbi1zZWNyZXQtZm9yLXR3by1pbnN0YW5jZXM");
        // Rate limits are per instance and not what this test is about.
        env.put("SIMANCHOR_TOKEN_RATE_LIMIT_PER_DEVICE_PER_SECOND", "1000");
        env.put("SIMANCHOR_TOKEN_RATE_LIMIT_PER_DEVICE_BURST", "1000");
        new VerifierKeyResource().start()
                .forEach((key, value) -> env.put(PackagedService.environmentName(key), value));
        first = PackagedService.start("token-a", env);
        second = PackagedService.start("token-b", env);
    }

    @AfterAll
    static void stop() {
        PackagedService.closeAll(second, first, kafka, postgres);
    }

    @Test
    void an_assertion_earns_one_token_whichever_instance_sees_it() throws Exception {
        TestDevice device = enrolledEverywhere();
        String form = form(device.assertion(ISSUER), device.ear(ArStatus.AFFIRMING));

        assertThat(token(second, form).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = token(first, form);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(replayed.body()).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void the_same_assertion_sent_to_both_instances_at_once_earns_exactly_one_token() throws Exception {
        TestDevice device = enrolledEverywhere();
        String ear = device.ear(ArStatus.AFFIRMING);
        for (int round = 0; round < 20; round++) {
            String form = form(device.assertion(ISSUER), ear);
            CompletableFuture<Integer> viaFirst = CompletableFuture.supplyAsync(() -> status(first, form));
            CompletableFuture<Integer> viaSecond = CompletableFuture.supplyAsync(() -> status(second, form));
            assertThat(List.of(viaFirst.get(), viaSecond.get())).as("round " + round)
                    .containsExactlyInAnyOrder(200, 401);
        }
    }

    /** Publishes the device's enrollment and waits until both instances issue it tokens. */
    private static TestDevice enrolledEverywhere() {
        TestDevice device = TestDevice.create();
        try (DeviceEvents events = new DeviceEvents(kafka.administration())) {
            events.enrolled(device.snapshot(DeviceState.ACTIVE));
        }
        for (PackagedService instance : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> status(instance,
                            form(device.assertion(ISSUER), device.ear(ArStatus.AFFIRMING))) == 200);
        }
        return device;
    }

    private static String form(String assertion, String ear) {
        return "grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&client_assertion=" + assertion + "&attestation_result=" + ear;
    }

    private static HttpResponse<String> token(PackagedService instance, String form)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(PackagedService instance, String form) {
        try {
            return token(instance, form).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
