package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.api.EnrollmentTest.assertProblem;
import static io.simanchor.identity.testing.IdentityApi.challenge;
import static io.simanchor.identity.testing.IdentityApi.enroll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.IdentityApi.Challenge;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.identity.testing.TestVendor;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;

/**
 * Endorsed enrollment by default (issue 28, point 6): an ICCID is printed on the SIM, so a registration without
 * the SIM key its vendor endorsed would enroll whichever key answers its challenge first. A tenant may allow
 * that explicitly; each such enrollment is audited and flagged on its lifecycle event.
 */
@QuarkusTest
class EndorsedEnrollmentTest {

    @Inject
    DataSource dataSource;

    @Test
    void a_registration_without_an_endorsed_sim_key_is_refused_by_default() {
        TestDevice device = TestDevice.p256();
        assertProblem(IdentityApi.register(device, Map.of()), 400, "ENDORSEMENT_REQUIRED");
        assertProblem(IdentityApi.register(device, Map.of("vendorKeyId", "vendor-1", "endorsement", "MEUCIQ==")), 400,
                "ENDORSEMENT_REQUIRED");
        String tenant = newTenant();
        assertProblem(IdentityApi.register(device, Map.of("tenantId", tenant)), 400, "ENDORSEMENT_REQUIRED");
        policy(tenant).statusCode(200).body("unendorsedEnrollment", is(false));

        challengeAnswered(device);
        assertThat(storedRegistrations(device.iccid())).isZero();
    }

    @Test
    void only_a_policy_admin_sets_the_enrollment_policy_and_each_change_is_audited() throws SQLException {
        String tenant = newTenant();
        setPolicy(TestOidcResource.deviceAdmin(), tenant, Map.of("unendorsedEnrollment", true)).statusCode(403);
        assertProblem(setPolicy(policyAdmin(), tenant, Map.of()), 400, "INVALID_FIELD");
        assertProblem(setPolicy(policyAdmin(), "no-such-tenant", Map.of("unendorsedEnrollment", true)), 404,
                "TENANT_NOT_FOUND");

        setPolicy(policyAdmin(), tenant, Map.of("unendorsedEnrollment", true)).statusCode(200)
                .body("unendorsedEnrollment", is(true));
        setPolicy(policyAdmin(), tenant, Map.of("unendorsedEnrollment", false)).statusCode(200)
                .body("unendorsedEnrollment", is(false));

        assertThat(rows("select action || ' by ' || actor from audit_log where subject = ? and action like "
                + "'tenant.unendorsed%' order by id", tenant)).containsExactly(
                        "tenant.unendorsed-enrollment-allowed by bob", "tenant.unendorsed-enrollment-refused by bob");
    }

    @Test
    void an_unendorsed_enrollment_is_audited_and_flagged_on_its_lifecycle_event() throws SQLException {
        String tenant = newTenant();
        TestVendor.allowUnendorsedEnrollment(tenant, true);
        TestDevice device = TestDevice.p256();
        IdentityApi.register(device, Map.of("tenantId", tenant)).statusCode(201);

        String deviceId = IdentityApi.enrollNow(device);

        try (KafkaEvents events = KafkaEvents.of(Topics.DEVICE_LIFECYCLE)) {
            String value = events.awaitAtLeast(1, e -> deviceId.equals(e.key()), Duration.ofSeconds(20)).get(0).value();
            assertThat(value).contains("\"endorsed\":false");
        }
        assertThat(rows("select details from audit_log where subject = ? and action = 'device.enrolled'", deviceId))
                .singleElement()
                .asString()
                .contains("\"endorsed\":\"false\"");
        given().auth()
                .oauth2(TestOidcResource.token("carol", "auditor"))
                .get("/api/v1/admin/devices/" + deviceId)
                .then()
                .statusCode(200)
                .body("endorsed", is(false));
    }

    @Test
    void a_tenant_that_stops_allowing_it_refuses_the_devices_it_registered_without_a_key() {
        String tenant = newTenant();
        TestVendor.allowUnendorsedEnrollment(tenant, true);
        TestDevice device = TestDevice.p256();
        IdentityApi.register(device, Map.of("tenantId", tenant)).statusCode(201);
        TestVendor.allowUnendorsedEnrollment(tenant, false);

        Challenge challenge = Challenge.of(challenge(device.iccid()).statusCode(201));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 403, "UNENDORSED_ENROLLMENT_REFUSED");
        TestVendor.allowUnendorsedEnrollment(tenant, true);
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1, e -> device.publicKey().thumbprint().equals(e.key())
                    && e.value().contains("UNENDORSED_ENROLLMENT_REFUSED") && e.value().contains(tenant),
                    Duration.ofSeconds(20));
        }
    }

    /** A device whose registration was refused gets a challenge (nothing is looked up) that leads nowhere. */
    private static void challengeAnswered(TestDevice device) {
        Challenge challenge = Challenge.of(challenge(device.iccid()).statusCode(201));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
    }

    private static String newTenant() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(policyAdmin()).put("/api/v1/admin/tenants/" + tenant).then().statusCode(201);
        return tenant;
    }

    private static String policyAdmin() {
        return TestOidcResource.token("bob", "policy-admin");
    }

    private static ValidatableResponse policy(String tenant) {
        return given().auth()
                .oauth2(policyAdmin())
                .get("/api/v1/admin/tenants/" + tenant + "/enrollment-policy")
                .then();
    }

    private static ValidatableResponse setPolicy(String token, String tenant, Map<String, Object> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/admin/tenants/" + tenant + "/enrollment-policy")
                .then();
    }

    private int storedRegistrations(String iccid) {
        try {
            return rows("select count(*)::text from registration where iccid = ?", iccid).stream()
                    .mapToInt(Integer::parseInt)
                    .sum();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> rows(String sql, String parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
