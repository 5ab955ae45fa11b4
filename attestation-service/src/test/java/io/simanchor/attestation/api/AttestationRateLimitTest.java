package io.simanchor.attestation.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.attestation.api.AttestationApiTest.assertProblem;
import static io.simanchor.attestation.api.AttestationApiTest.claims;
import static io.simanchor.attestation.api.AttestationApiTest.nonce;
import static io.simanchor.attestation.api.AttestationApiTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.api.AttestationApiTest.Device;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.support.testing.KafkaEvents;

/**
 * Rate limits before any work on the device endpoints (issue 28, point 8): requests naming one device beyond
 * its budget are refused before the view is read, the signature verified or a security event raised, so a
 * flood cannot turn into events; the refusals are summarised instead.
 */
@QuarkusTest
@TestProfile(AttestationRateLimitTest.LowLimits.class)
class AttestationRateLimitTest {

    /** A budget of three requests per device, and a summary every second. */
    public static final class LowLimits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simanchor.rate-limits.per-subject-per-second", "0.05",
                    "simanchor.rate-limits.per-subject-burst", "3",
                    "simanchor.rate-limits.report-interval", "1s");
        }
    }

    @Test
    void a_flood_naming_one_device_is_refused_before_any_work_and_summarised() {
        Device named = new Device(UUID.randomUUID().toString(), EvidenceSigner.p256(), null);
        String forged = named.sim().compact(claims(named, nonce(named)));
        assertProblem(post(forged), 404, "DEVICE_UNKNOWN");
        assertProblem(post(forged), 404, "DEVICE_UNKNOWN");

        for (int i = 0; i < 5; i++) {
            ValidatableResponse limited = post(forged);
            assertProblem(limited, 429, "RATE_LIMITED");
            assertThat(Integer.parseInt(limited.extract().header("Retry-After"))).isBetween(1, 20);
        }
        assertProblem(given().contentType("application/json")
                .body(Map.of("deviceId", named.id()))
                .post("/api/v1/attestation/challenges")
                .then(), 429, "RATE_LIMITED");

        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1, e -> e.value().contains("\"reasonCode\":\"RATE_LIMITED\"")
                    && e.value().contains("\"top.DEVICE:" + named.id() + "\""), Duration.ofSeconds(20));
            List<KafkaEvents.Event> refusals = events.drain(Duration.ofSeconds(2))
                    .stream()
                    .filter(e -> named.id().equals(e.key()))
                    .toList();
            assertThat(refusals).as("one event per refusal that did work, none for the six limited")
                    .hasSize(2)
                    .allMatch(e -> e.value().contains("DEVICE_UNKNOWN"));
        }
    }
}
