package io.simanchor.attestation.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.simanchor.support.testing.TestOidcResource;

/** Reference values and appraisal policies: role checks, validation, audit. */
@QuarkusTest
class PolicyAdminApiTest {

    private static final String DIGEST = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

    private static RequestSpecification as(String... roles) {
        return given().auth().oauth2(TestOidcResource.token("pat", roles)).contentType("application/json");
    }

    private static Map<String, Object> measurements(Object digest) {
        return Map.of("measurements", List.of(Map.of("component", "boot", "alg", "sha-256", "digest", digest)));
    }

    @Test
    void reference_values_need_the_policy_admin_role() {
        given().contentType("application/json")
                .body(measurements(DIGEST))
                .put("/api/v1/admin/reference-values/m1/1.0")
                .then()
                .statusCode(401);
        as("device-admin").body(measurements(DIGEST))
                .put("/api/v1/admin/reference-values/m1/1.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        as("auditor").get("/api/v1/admin/reference-values/m1/1.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("REFERENCE_VALUES_NOT_FOUND"));
    }

    @Test
    void reference_values_and_policies_apply_to_every_tenant_so_only_a_platform_operator_changes_them() {
        String tenantPolicyAdmin = TestOidcResource.tenantToken("tina", "acme", "policy-admin");
        given().auth()
                .oauth2(tenantPolicyAdmin)
                .contentType("application/json")
                .body(measurements(DIGEST))
                .put("/api/v1/admin/reference-values/m-tenant/1.0")
                .then()
                .statusCode(403)
                .body("code", equalTo("PLATFORM_OPERATOR_REQUIRED"));
        given().auth()
                .oauth2(tenantPolicyAdmin)
                .contentType("application/json")
                .body(Map.of("policyId", "tenant-says-so"))
                .put("/api/v1/admin/appraisal-policies/m-tenant")
                .then()
                .statusCode(403)
                .body("code", equalTo("PLATFORM_OPERATOR_REQUIRED"));
        given().auth()
                .oauth2(tenantPolicyAdmin)
                .get("/api/v1/admin/reference-values/m-tenant/1.0")
                .then()
                .statusCode(404)
                .body("code", equalTo("REFERENCE_VALUES_NOT_FOUND"));
    }

    @Test
    void provisioned_reference_values_are_audited_and_readable() throws Exception {
        as("policy-admin").body(measurements(DIGEST))
                .put("/api/v1/admin/reference-values/m2/2.0")
                .then()
                .statusCode(200)
                .body("measurements[0].digest", equalTo(DIGEST));
        as("auditor").get("/api/v1/admin/reference-values/m2/2.0")
                .then()
                .statusCode(200)
                .body("hwModel", equalTo("m2"));
        assertThat(auditActions("m2/2.0")).contains("reference-values.provisioned");
    }

    @Test
    void malformed_reference_values_are_refused_with_the_reason() {
        // The last: the same 32 bytes as DIGEST, with unused bits set in its last character. A second
        // spelling of one digest would never equal the device's, which is compared as text.
        for (Object digest : List.of("short", DIGEST + "=", "AAAA".repeat(11), otherSpellingOf(DIGEST))) {
            as("policy-admin").body(measurements(digest))
                    .put("/api/v1/admin/reference-values/m3/1.0")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("REFERENCE_VALUES_INVALID"));
        }
        as("policy-admin").body(Map.of("measurements", List.of()))
                .put("/api/v1/admin/reference-values/m3/1.0")
                .then()
                .statusCode(400)
                .body("code", equalTo("REFERENCE_VALUES_INVALID"));
        as("policy-admin").body("{\"measurements\": \"nope\"}")
                .put("/api/v1/admin/reference-values/m3/1.0")
                .then()
                .statusCode(400)
                .body("code", equalTo("MALFORMED_REQUEST"));
    }

    @Test
    void a_model_gets_the_default_policy_until_one_is_set() throws Exception {
        as("auditor").get("/api/v1/admin/appraisal-policies/m4")
                .then()
                .statusCode(200)
                .body("policyId", equalTo("simanchor/default/v1"));
        Map<String, Object> lenient = Map.of("policyId", "acme/lenient/v1",
                "requiredClaims", List.of("eat_nonce", "ueid", "iat"),
                "acceptedDebugStatus", List.of(0, 1, 2, 3, 4),
                "findings", Map.of("IDENTITY_VERIFIED", Map.of("instance-identity", 2)));
        as("policy-admin").body(lenient).put("/api/v1/admin/appraisal-policies/m4").then().statusCode(200);
        as("auditor").get("/api/v1/admin/appraisal-policies/m4")
                .then()
                .statusCode(200)
                .body("policyId", equalTo("acme/lenient/v1"))
                .body("acceptedDebugStatus", hasItem(0));
        assertThat(auditActions("m4")).contains("appraisal-policy.set");
    }

    @Test
    void a_policy_body_of_null_or_nothing_is_refused() {
        for (String body : List.of("null", "")) {
            as("policy-admin").body(body)
                    .put("/api/v1/admin/appraisal-policies/m6")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("POLICY_INVALID"));
        }
    }

    @Test
    void an_invalid_policy_is_refused_listing_its_problems() {
        Map<String, Object> invalid = Map.of("policyId", "bad id with spaces",
                "requiredClaims", List.of("ueid", "favourite_colour"),
                "acceptedDebugStatus", List.of(7),
                "findings", Map.of("HWMODEL_MISMATCH", Map.of("hardware", 300)));
        as("policy-admin").body(invalid)
                .put("/api/v1/admin/appraisal-policies/m5")
                .then()
                .statusCode(400)
                .body("code", equalTo("POLICY_INVALID"));
        as("policy-admin").body(Map.of("policyId", "x", "findings", Map.of("NO_SUCH_FINDING", Map.of())))
                .put("/api/v1/admin/appraisal-policies/m5")
                .then()
                .statusCode(400)
                .body("code", equalTo("MALFORMED_REQUEST"));
    }

    private static String otherSpellingOf(String digest) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(digest.charAt(digest.length() - 1));
        // The two low bits are unused: another value of them is another spelling of the same 32 bytes.
        return digest.substring(0, digest.length() - 1) + alphabet.charAt((last & ~3) | ((last + 1) & 3));
    }

    private static List<String> auditActions(String subject) throws Exception {
        var config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                PreparedStatement select = connection
                        .prepareStatement("select action from attestation.audit_log where subject = ?")) {
            select.setString(1, subject);
            List<String> actions = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    actions.add(rows.getString(1));
                }
            }
            return actions;
        }
    }
}
