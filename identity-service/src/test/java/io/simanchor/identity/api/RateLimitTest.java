package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.api.EnrollmentTest.assertProblem;
import static io.simanchor.identity.testing.IdentityApi.challenge;
import static io.simanchor.identity.testing.IdentityApi.enroll;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.testing.IdentityApi.Challenge;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.support.testing.KafkaEvents;

/**
 * Rate limits before any work on the unauthenticated endpoints (issue 28, point 8): per ICCID in the domain,
 * per source address before the body is read; refusals write nothing one by one and are summarised.
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTest {

    /** Limits a test reaches in a few requests (every request of a test comes from 127.0.0.1). */
    public static final class LowLimits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simanchor.rate-limits.per-source-per-second", "2",
                    "simanchor.rate-limits.per-source-burst", "30",
                    "simanchor.rate-limits.per-subject-per-second", "0.05",
                    "simanchor.rate-limits.per-subject-burst", "3",
                    "simanchor.rate-limits.report-interval", "1s");
        }
    }

    @Test
    @Order(1)
    void requests_naming_one_sim_beyond_its_budget_get_429_with_retry_after_before_any_work() {
        TestDevice device = TestDevice.p256();
        Challenge first = Challenge.of(challenge(device.iccid()).statusCode(201));
        challenge(device.iccid()).statusCode(201);
        challenge(device.iccid()).statusCode(201);

        ValidatableResponse limited = challenge(device.iccid());
        assertProblem(limited, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(limited.extract().header("Retry-After"))).isBetween(1, 20);
        // The enrollment names the same SIM through its challenge: refused before its CSR is even parsed.
        assertProblem(enroll(first.id(), "not a CSR"), 429, "RATE_LIMITED");

        challenge(TestDevice.randomIccid()).statusCode(201);
    }

    @Test
    @Order(2)
    void a_flood_from_one_address_is_refused_before_its_body_is_read() {
        int sent = 0;
        int status = 201;
        while (status != 429 && sent++ < 100) {
            status = challenge(TestDevice.randomIccid()).extract().statusCode();
        }
        assertThat(status).as("a 429 within 100 requests of a burst of 30").isEqualTo(429);

        // Too large for the body limit (413), but the address is refused first. The bucket refills a token every
        // 500 ms, so on a slow machine one may come back between the flood and this request: drained again then.
        String tooLarge = "{\"iccid\": \"" + "9".repeat(70_000) + "\"}";
        ValidatableResponse oversized = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            for (int drained = 0; drained < 100
                    && challenge(TestDevice.randomIccid()).extract().statusCode() != 429; drained++) {
                // what refilled since
            }
            oversized = given().contentType(ContentType.JSON)
                    .body(tooLarge)
                    .post("/api/v1/enrollment/challenges")
                    .then();
            if (oversized.extract().statusCode() == 429) {
                break;
            }
            oversized.statusCode(413);
        }
        assertProblem(oversized, 429, "RATE_LIMITED");
        oversized.header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    @Order(3)
    void refusals_are_summarised_in_a_security_event_not_written_one_by_one() {
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1, e -> e.value().contains("\"reasonCode\":\"RATE_LIMITED\"")
                    && e.value().contains("\"SOURCE_ADDRESS\"")
                    && e.value().contains("\"top.SOURCE_ADDRESS:"),
                    Duration.ofSeconds(20));
            events.awaitAtLeast(1, e -> e.value().contains("\"reasonCode\":\"RATE_LIMITED\"")
                    && e.value().contains("\"ICCID\":\""), Duration.ofSeconds(20));
        }
    }
}
