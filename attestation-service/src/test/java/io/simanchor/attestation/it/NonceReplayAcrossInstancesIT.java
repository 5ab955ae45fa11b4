package io.simanchor.attestation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;
import io.simanchor.api.events.DeviceState;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.PackagedService;

/**
 * Two packaged instances behind an imaginary load balancer, sharing one PostgreSQL, one Kafka, one nonce
 * MAC key and one EAR keystore, as two Kubernetes replicas would: a nonce issued by one is accepted once,
 * by either, and never again — also when the same evidence reaches both at the same moment.
 */
class NonceReplayAcrossInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "tracker-x1";

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;
    private static PackagedService first;
    private static PackagedService second;

    @BeforeAll
    static void startTwoInstances() throws IOException {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start();
        Path keystore = Path.of("target", "it-verifier-key.p12").toAbsolutePath();
        Files.deleteIfExists(keystore);
        Map<String, String> env = PackagedService.environment(postgres, "attestation", kafka);
        env.put("SIMANCHOR_ATTESTATION_NONCE_MAC_KEY", "aXQtb25seS1ub25jZS1tYWMta2V5LWZvci10d28taW5zdGFuY2Vz");
        env.put("SIMANCHOR_ATTESTATION_RESULT_KEYSTORE_PATH", keystore.toString());
        env.put("SIMANCHOR_ATTESTATION_RESULT_KEYSTORE_PASSWORD", "it-secret");
        // The races below appraise one device dozens of times in seconds, far beyond a device's budget.
        env.put("SIMANCHOR_RATE_LIMITS_PER_SUBJECT_PER_SECOND", "1000");
        env.put("SIMANCHOR_RATE_LIMITS_PER_SUBJECT_BURST", "1000");
        // The first instance writes the keystore, the second loads it: both sign with the same key.
        first = PackagedService.start("attestation-a", env);
        second = PackagedService.start("attestation-b", env);
    }

    @AfterAll
    static void stop() {
        PackagedService.closeAll(second, first, kafka, postgres);
    }

    @Test
    void a_nonce_is_accepted_once_whichever_instance_sees_it() throws Exception {
        String deviceId = UUID.randomUUID().toString();
        EvidenceSigner sim = EvidenceSigner.p256();
        enrollEverywhere(deviceId, sim);

        String evidence = sim.compact(claims(deviceId, nonce(first, deviceId)));
        HttpResponse<String> accepted = evidence(second, evidence);
        assertThat(accepted.statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = evidence(first, evidence);
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(replayed.body()).path("code").asText()).isEqualTo("NONCE_REPLAYED");

        // The EAR of one instance verifies with the key the other publishes.
        JWSObject ear = JWSObject.parse(JSON.readTree(accepted.body()).path("ear").asText());
        String jwks = HTTP.send(HttpRequest.newBuilder(URI.create(first.baseUrl()
                + "/.well-known/simanchor/verification")).build(), HttpResponse.BodyHandlers.ofString()).body();
        ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(ear.getHeader().getKeyID());
        assertThat(ear.verify(new ECDSAVerifier(key))).isTrue();
    }

    @Test
    void the_same_evidence_sent_to_both_instances_at_once_is_accepted_exactly_once() throws Exception {
        String deviceId = UUID.randomUUID().toString();
        EvidenceSigner sim = EvidenceSigner.p256();
        enrollEverywhere(deviceId, sim);
        for (int round = 0; round < 20; round++) {
            String evidence = sim.compact(claims(deviceId, nonce(round % 2 == 0 ? first : second, deviceId)));
            CompletableFuture<Integer> viaFirst = CompletableFuture.supplyAsync(() -> status(first, evidence));
            CompletableFuture<Integer> viaSecond = CompletableFuture.supplyAsync(() -> status(second, evidence));
            assertThat(List.of(viaFirst.get(), viaSecond.get())).as("round " + round)
                    .containsExactlyInAnyOrder(200, 409);
        }
    }

    /** Publishes the device's enrollment and waits until both instances appraise its evidence. */
    private static void enrollEverywhere(String deviceId, EvidenceSigner sim) {
        try (DeviceEvents lifecycle = new DeviceEvents(kafka.administration())) {
            lifecycle.enrolled(DeviceEvents.snapshot(deviceId, MODEL, sim.publicKey(), DeviceState.ACTIVE));
        }
        for (PackagedService instance : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> evidence(instance, sim.compact(claims(deviceId, nonce(instance, deviceId))))
                            .statusCode() == 200);
        }
    }

    private static EatEvidenceV1 claims(String deviceId, String nonce) {
        return new EatEvidenceV1(nonce, Ueid.of(deviceId), Instant.now().getEpochSecond(), MODEL, "tracker-firmware",
                "4.2.0", List.of(new MeasurementV1("boot", "sha-256", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg")),
                3, true);
    }

    private static String nonce(PackagedService instance, String deviceId) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl()
                + "/api/v1/attestation/challenges"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body.path("nonce").asText();
    }

    private static HttpResponse<String> evidence(PackagedService instance, String compact)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/api/v1/attestation/evidence"))
                .header("Content-Type", EatEvidenceV1.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(compact))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(PackagedService instance, String compact) {
        try {
            return evidence(instance, compact).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
