package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.api.EnrollmentTest.assertProblem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.domain.ManifestRecord;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.identity.testing.TestVendor;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;

/** Operators register devices one by one or from a vendor manifest; only with the right role. */
@QuarkusTest
class RegistrationAdminTest {

    @Test
    void admin_endpoints_need_a_token_and_the_right_role() {
        given().contentType(ContentType.JSON)
                .body(Map.of("iccid", TestDevice.randomIccid()))
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("code", is("UNAUTHENTICATED"));
        given().auth()
                .oauth2(TestOidcResource.token("carol", "auditor"))
                .contentType(ContentType.JSON)
                .body(Map.of("iccid", TestDevice.randomIccid()))
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("code", is("FORBIDDEN"));
        given().auth().oauth2("not-a-jwt").get("/api/v1/admin/devices").then().statusCode(401);
    }

    @Test
    void single_registration_is_idempotent_and_conflicts_are_refused() {
        TestDevice device = TestDevice.p256();
        Map<String, String> registration = TestVendor.endorsedFields(device, device, "default",
                TestDevice.randomImei());
        post(registration).statusCode(201).body("created", is(true));
        post(registration).statusCode(200).body("created", is(false));
        Map<String, String> different = new java.util.HashMap<>(
                TestVendor.endorsedFields(device, TestDevice.p256(), "default", TestDevice.randomImei()));
        assertProblem(post(different), 409, "REGISTRATION_CONFLICT");
        different.put("tenantId", "no-such-tenant");
        assertProblem(post(different), 404, "TENANT_NOT_FOUND");
    }

    @Test
    void manifest_imports_good_lines_reports_bad_ones_and_reimport_changes_nothing() {
        givenVendorKey("default", "vendor-1");
        TestDevice endorsed = TestDevice.p256();
        TestDevice forged = TestDevice.p256();
        String manifest = String.join("\n",
                endorsedLine(TestDevice.p256(), true),
                endorsedLine(endorsed, true),
                "{not json",
                "{\"iccid\": \"" + TestDevice.randomIccid() + "\", \"colour\": \"red\"}",
                endorsedLine(forged, false),
                line("1234"),
                line(TestDevice.randomIccid()),
                "",
                endorsedLine(TestDevice.p256(), true));

        bulk(manifest).statusCode(200)
                .body("received", is(8))
                .body("imported", is(3))
                .body("unchanged", is(0))
                .body("rejected", is(5))
                .body("errors", hasSize(5))
                .body("errors.line", is(List.of(3, 4, 5, 6, 7)))
                .body("errors.code", is(List.of("INVALID_FIELD", "INVALID_FIELD", "ENDORSEMENT_INVALID",
                        "INVALID_ICCID", "ENDORSEMENT_REQUIRED")));
        bulk(manifest).statusCode(200).body("imported", is(0)).body("unchanged", is(3)).body("rejected", is(5));

        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1, e -> forged.iccid().equals(e.key()) && e.value().contains("ENDORSEMENT_INVALID"),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void manifest_record_that_changes_a_registration_is_a_conflict() {
        givenVendorKey("default", "vendor-1");
        TestDevice device = TestDevice.p256();
        bulk(endorsedLine(device, true)).statusCode(200).body("imported", is(1));
        bulk(endorsedLine(TestDevice.p256().cloneKeyTo(device), true)).statusCode(200)
                .body("rejected", is(1))
                .body("errors[0].code", is("REGISTRATION_CONFLICT"));
    }

    @Test
    void manifest_needs_its_media_type_and_the_role() {
        given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/admin/registrations:bulk")
                .then()
                .statusCode(415);
        given().contentType("application/x-ndjson")
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/admin/registrations:bulk")
                .then()
                .statusCode(401);
    }

    @Test
    void manifest_path_works_with_a_literal_and_with_a_percent_encoded_colon() {
        givenVendorKey("default", "vendor-1");
        bulkAt("/api/v1/admin/registrations:bulk", endorsedLine(TestDevice.p256(), true)).statusCode(200)
                .body("imported", is(1));
        bulkAt("/api/v1/admin/registrations%3Abulk?tenant=default", endorsedLine(TestDevice.p256(), true))
                .statusCode(200)
                .body("imported", is(1));
    }

    @Test
    void vendor_keys_need_policy_admin_and_a_p256_key() {
        given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", TestVendor.publicKeyPem()))
                .put("/api/v1/admin/tenants/default/vendor-keys/v9")
                .then()
                .statusCode(403);
        assertProblem(given().auth()
                .oauth2(TestOidcResource.token("bob", "policy-admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .put("/api/v1/admin/tenants/default/vendor-keys/v9")
                .then(), 400, "VENDOR_KEY_INVALID");
    }

    /** Registers the test vendor's key for the tenant (creating the tenant if needed). */
    static void givenVendorKey(String tenant, String keyId) {
        TestVendor.givenVendorKey(tenant, keyId);
    }

    /** The test vendor's endorsement signature. */
    static byte[] vendorSign(byte[] message) {
        return TestVendor.sign(message);
    }

    @Test
    void a_vendor_key_id_the_database_cannot_compare_fails_its_line_not_the_manifest() {
        givenVendorKey("default", "vendor-1");
        TestDevice device = TestDevice.p256();
        String withNul = endorsedLine(device, true).replace("\"vendor-1\"", "\"vendor\\u0000\"");

        bulk(String.join("\n", withNul, endorsedLine(TestDevice.p256(), true))).statusCode(200)
                .body("imported", is(1))
                .body("rejected", is(1))
                .body("errors.code", is(List.of("ENDORSEMENT_INVALID")));
    }

    private static String line(String iccid) {
        return "{\"iccid\": \"" + iccid + "\", \"imei\": \"356938035643809\", \"hwModel\": \"tracker-x1\", "
                + "\"manufacturer\": \"Acme Devices\"}";
    }

    private static String endorsedLine(TestDevice device, boolean genuine) {
        ManifestRecord record = new ManifestRecord(device.iccid(), "356938035643809", "tracker-x1", "Acme Devices",
                device.spkiBase64(), "vendor-1", null);
        byte[] signature = genuine
                ? vendorSign(record.endorsedBytes())
                : TestDevice.sign(TestDevice.p256().keys(), record.endorsedBytes());
        return Map.of("iccid", record.iccid(), "imei", record.imei(), "hwModel", record.hwModel(), "manufacturer",
                record.manufacturer(), "simPublicKey", record.simPublicKey(), "vendorKeyId", "vendor-1", "endorsement",
                Base64.getEncoder().encodeToString(signature))
                .entrySet()
                .stream()
                .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, String> body) {
        return IdentityApi.postRegistration(body);
    }

    private static io.restassured.response.ValidatableResponse bulk(String manifest) {
        return bulkAt("/api/v1/admin/registrations:bulk", manifest);
    }

    /** Uploads to {@code path} exactly as written (RestAssured would otherwise percent-encode the colon). */
    private static io.restassured.response.ValidatableResponse bulkAt(String path, String manifest) {
        return given().urlEncodingEnabled(false)
                .auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType("application/x-ndjson")
                .body(manifest.getBytes(StandardCharsets.UTF_8))
                .post(path)
                .then();
    }
}
