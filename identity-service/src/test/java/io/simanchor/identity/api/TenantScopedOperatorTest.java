package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.api.EnrollmentTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.identity.testing.TestVendor;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;

/**
 * Tenant-scoped operators (issue 28, point 7): an operator whose token names tenant A finds nothing of tenant B,
 * cannot register or import into it, cannot read or change its policies, and only a platform operator creates
 * tenants. The same rules against tokens from a real Keycloak: {@code KeycloakAdminAccessIT}.
 */
@QuarkusTest
class TenantScopedOperatorTest {

    @Inject
    DataSource dataSource;

    private String tenantA;
    private String tenantB;
    private String deviceOfA;
    private TestDevice simOfB;
    private String deviceOfB;

    @BeforeEach
    void twoTenantsWithADeviceEach() {
        tenantA = newTenant();
        tenantB = newTenant();
        deviceOfA = IdentityApi.enrollNow(registeredIn(tenantA, TestDevice.p256()));
        simOfB = registeredIn(tenantB, TestDevice.p256());
        deviceOfB = IdentityApi.enrollNow(simOfB);
    }

    @Test
    void an_operator_of_one_tenant_does_not_find_another_tenants_device() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "device-admin");

        device(operatorOfA, deviceOfA).statusCode(200).body("tenantId", is(tenantA));
        assertProblem(device(operatorOfA, deviceOfB), 404, "DEVICE_NOT_FOUND");
        assertProblem(given().auth()
                .oauth2(operatorOfA)
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "not yours"))
                .post("/api/v1/admin/devices/" + deviceOfB + "/suspend")
                .then(), 404, "DEVICE_NOT_FOUND");

        device(TestOidcResource.deviceAdmin(), deviceOfB).statusCode(200).body("state", is("ACTIVE"));
        String unknown = device(operatorOfA, UUID.randomUUID().toString()).statusCode(404).extract().asString();
        assertThat(device(operatorOfA, deviceOfB).extract().asString()).as("the same answer as for no device")
                .isEqualTo(unknown);
    }

    @Test
    void an_operator_manages_its_own_tenants_devices() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "device-admin");

        for (String change : new String[]{"suspend", "resume"}) {
            given().auth()
                    .oauth2(operatorOfA)
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "maintenance"))
                    .post("/api/v1/admin/devices/" + deviceOfA + "/" + change)
                    .then()
                    .statusCode(200);
        }
        device(operatorOfA, deviceOfA).statusCode(200).body("state", is("ACTIVE"));
    }

    @Test
    void a_listing_holds_the_operators_tenant_only() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "auditor");

        List<String> tenants = given().auth()
                .oauth2(operatorOfA)
                .get("/api/v1/admin/devices?pageSize=500")
                .then()
                .statusCode(200)
                .extract()
                .path("devices.tenantId");
        assertThat(tenants).isNotEmpty().containsOnly(tenantA);
        assertProblem(given().auth().oauth2(operatorOfA).get("/api/v1/admin/devices?tenant=" + tenantB).then(), 403,
                "TENANT_NOT_PERMITTED");
    }

    @Test
    void an_operator_cannot_register_or_import_into_another_tenant() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "device-admin");
        TestDevice intoB = TestDevice.p256();
        TestDevice intoOwn = TestDevice.p256();

        assertProblem(register(operatorOfA, TestVendor.endorsedFields(intoB, intoB, tenantB, TestDevice.randomImei())),
                403, "TENANT_NOT_PERMITTED");
        String line = "{\"iccid\":\"" + intoB.iccid() + "\",\"imei\":\"" + TestDevice.randomImei()
                + "\",\"hwModel\":\"tracker-x1\",\"manufacturer\":\"Acme Devices\"}\n";
        assertProblem(given().auth()
                .oauth2(operatorOfA)
                .contentType("application/x-ndjson")
                .body(line.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/admin/registrations:bulk?tenant=" + tenantB)
                .then(), 403, "TENANT_NOT_PERMITTED");
        assertThat(registeredTenant(intoB.iccid())).isEmpty();

        Map<String, String> withoutTenant = new HashMap<>(
                TestVendor.endorsedFields(intoOwn, intoOwn, tenantA, TestDevice.randomImei()));
        withoutTenant.remove("tenantId");
        register(operatorOfA, withoutTenant).statusCode(201);
        assertThat(registeredTenant(intoOwn.iccid())).contains(tenantA);
    }

    @Test
    void an_operator_cannot_read_or_change_another_tenants_policies_or_vendor_keys() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "policy-admin");

        policy(operatorOfA, tenantA).statusCode(200);
        assertProblem(policy(operatorOfA, tenantB), 404, "TENANT_NOT_FOUND");
        assertProblem(given().auth()
                .oauth2(operatorOfA)
                .contentType(ContentType.JSON)
                .body(Map.of("unendorsedEnrollment", true))
                .put("/api/v1/admin/tenants/" + tenantB + "/enrollment-policy")
                .then(), 404, "TENANT_NOT_FOUND");
        assertProblem(given().auth()
                .oauth2(operatorOfA)
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", TestVendor.publicKeyPem()))
                .put("/api/v1/admin/tenants/" + tenantB + "/vendor-keys/rogue")
                .then(), 404, "TENANT_NOT_FOUND");

        policy(TestOidcResource.token("bob", "policy-admin"), tenantB).statusCode(200)
                .body("unendorsedEnrollment", is(false));
    }

    @Test
    void an_operator_tightens_its_tenants_policy_but_only_a_platform_operator_loosens_it_or_adds_trust_anchors() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "policy-admin");

        setPolicy(operatorOfA, tenantA, false).statusCode(200).body("unendorsedEnrollment", is(false));
        assertProblem(setPolicy(operatorOfA, tenantA, true), 403, "PLATFORM_OPERATOR_REQUIRED");
        assertProblem(given().auth()
                .oauth2(operatorOfA)
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", TestVendor.publicKeyPem()))
                .put("/api/v1/admin/tenants/" + tenantA + "/vendor-keys/own-vendor")
                .then(), 403, "PLATFORM_OPERATOR_REQUIRED");
        policy(operatorOfA, tenantA).statusCode(200).body("unendorsedEnrollment", is(false));
    }

    @Test
    void claiming_another_tenants_iccid_is_refused_and_raised_with_both_tenants() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "device-admin");

        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            // The same vendor sells to both tenants, so its endorsement of B's SIM verifies in A too.
            assertProblem(register(operatorOfA,
                    TestVendor.endorsedFields(simOfB, simOfB, tenantA, TestDevice.randomImei())), 409,
                    "REGISTRATION_CONFLICT");
            events.awaitAtLeast(1,
                    e -> e.value().contains(simOfB.iccid()) && e.value().contains("ICCID_OF_ANOTHER_TENANT")
                            && e.value().contains(tenantB),
                    Duration.ofSeconds(20));
        }
        assertThat(registeredTenant(simOfB.iccid())).contains(tenantB);
    }

    @Test
    void only_a_platform_operator_creates_a_tenant() {
        String operatorOfA = TestOidcResource.tenantToken("anna", tenantA, "policy-admin");

        assertProblem(given().auth().oauth2(operatorOfA).put("/api/v1/admin/tenants/" + tenantA + "-2").then(), 403,
                "PLATFORM_OPERATOR_REQUIRED");
    }

    @Test
    void a_token_that_names_no_tenant_acts_for_none() {
        String noTenant = TestOidcResource.sign(TestOidcResource.claims("nemo", "device-admin").build());

        assertProblem(given().auth().oauth2(noTenant).get("/api/v1/admin/devices").then(), 403,
                "TENANT_NOT_PERMITTED");
        assertProblem(device(noTenant, deviceOfA), 404, "DEVICE_NOT_FOUND");
    }

    private static String newTenant() {
        String tenant = "op-" + UUID.randomUUID().toString().substring(0, 8);
        TestVendor.givenVendorKey(tenant, TestVendor.KEY_ID);
        return tenant;
    }

    private static TestDevice registeredIn(String tenant, TestDevice device) {
        IdentityApi.postRegistration(TestVendor.endorsedFields(device, device, tenant, TestDevice.randomImei()))
                .statusCode(201);
        return device;
    }

    private static ValidatableResponse setPolicy(String token, String tenant, boolean unendorsed) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("unendorsedEnrollment", unendorsed))
                .put("/api/v1/admin/tenants/" + tenant + "/enrollment-policy")
                .then();
    }

    private static ValidatableResponse device(String token, String deviceId) {
        return given().auth().oauth2(token).get("/api/v1/admin/devices/" + deviceId).then();
    }

    private static ValidatableResponse register(String token, Map<String, String> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/admin/registrations")
                .then();
    }

    private static ValidatableResponse policy(String token, String tenant) {
        return given().auth().oauth2(token).get("/api/v1/admin/tenants/" + tenant + "/enrollment-policy").then();
    }

    private Optional<String> registeredTenant(String iccid) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("select tenant_id from registration where iccid = ?")) {
            select.setString(1, iccid);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
