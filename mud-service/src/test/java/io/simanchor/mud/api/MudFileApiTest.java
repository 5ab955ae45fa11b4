package io.simanchor.mud.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.simanchor.mud.testing.MudFiles;
import io.simanchor.mud.testing.OpenSsl;
import io.simanchor.support.testing.TestOidcResource;

/** The MUD file server end to end: upload, validation, signing, serving, caching, bad input. */
@QuarkusTest
class MudFileApiTest {

    private static final String MUD_JSON = "application/mud+json";

    private static RequestSpecification as(String... roles) {
        return given().auth().oauth2(TestOidcResource.token("pat", roles));
    }

    private static ExtractableResponse<Response> put(String manufacturer, String model, String body) {
        return as("policy-admin").contentType(MUD_JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/admin/mud/{manufacturer}/{model}", manufacturer, model)
                .then()
                .extract();
    }

    private static String rfcExampleFor(String model) {
        return MudFiles.rfcExample()
                .replace(MudFiles.URLS.fileUrl(MudFiles.RFC_MANUFACTURER, MudFiles.RFC_MODEL),
                        MudFiles.URLS.fileUrl(MudFiles.RFC_MANUFACTURER, model));
    }

    @Test
    void uploading_needs_the_policy_admin_role() {
        given().contentType(MUD_JSON).body(MudFiles.rfcExample()).put("/api/v1/admin/mud/a/b").then().statusCode(401);
        as("device-admin").contentType(MUD_JSON)
                .body(MudFiles.rfcExample())
                .put("/api/v1/admin/mud/a/b")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        as("device-admin").get("/api/v1/admin/mud").then().statusCode(403);
    }

    @Test
    void a_models_file_applies_to_every_tenant_so_only_a_platform_operator_uploads_it() {
        given().auth()
                .oauth2(TestOidcResource.tenantToken("tina", "acme", "policy-admin"))
                .contentType(MUD_JSON)
                .body(rfcExampleFor("lightbulb-tenant").getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.RFC_MANUFACTURER, "lightbulb-tenant")
                .then()
                .statusCode(403)
                .body("code", equalTo("PLATFORM_OPERATOR_REQUIRED"));
        given().auth()
                .oauth2(TestOidcResource.tenantToken("tina", "acme", "auditor"))
                .get("/api/v1/admin/mud")
                .then()
                .statusCode(200)
                .body("mudUrl", not(hasItem(containsString("lightbulb-tenant"))));
    }

    @Test
    void the_rfc_example_is_signed_served_and_verifies_with_openssl() throws Exception {
        String model = "lightbulb-openssl";
        String file = rfcExampleFor(model);
        ExtractableResponse<Response> created = put(MudFiles.RFC_MANUFACTURER, model, file);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.path("version", new String[0]).toString()).isEqualTo("1");
        assertThat(created.header("Location")).isEqualTo(MudFiles.URLS.fileUrl(MudFiles.RFC_MANUFACTURER, model));

        ExtractableResponse<Response> served = given()
                .get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(200)
                .contentType(MUD_JSON)
                .header("Cache-Control", "public, max-age=172800, no-transform")
                .extract();
        assertThat(served.asByteArray()).isEqualTo(file.getBytes(StandardCharsets.UTF_8));
        byte[] signature = given().get("/mud/{manufacturer}/{model}.p7s", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(200)
                .contentType("application/pkcs7-signature")
                .extract()
                .asByteArray();
        String chain = given().get("/api/v1/mud/signer-chain")
                .then()
                .statusCode(200)
                .contentType("application/pem-certificate-chain")
                .extract()
                .asString();

        OpenSsl.Result verified = OpenSsl.verifyDetached(served.asByteArray(), signature, chain);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Verification successful");

        byte[] tampered = served.asString().replace("\"accept\"", "\"drop\"").getBytes(StandardCharsets.UTF_8);
        OpenSsl.Result refused = OpenSsl.verifyDetached(tampered, signature, chain);
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    @Test
    void the_demo_models_files_are_accepted() {
        for (String model : new String[]{"tracker-x1", "meter-m2"}) {
            ExtractableResponse<Response> response = put(MudFiles.DEMO_MANUFACTURER, model, MudFiles.demo(model));
            assertThat(response.statusCode()).as(response.asString()).isIn(200, 201);
            given().get("/mud/{manufacturer}/{model}.json", MudFiles.DEMO_MANUFACTURER, model)
                    .then()
                    .statusCode(200)
                    .body("'ietf-mud:mud'.model-name", equalTo(model));
        }
        as("auditor").get("/api/v1/admin/mud")
                .then()
                .statusCode(200)
                .body("mudUrl", hasItem(MudFiles.URLS.fileUrl(MudFiles.DEMO_MANUFACTURER, "tracker-x1")));
    }

    @Test
    void a_cached_file_revalidates_with_its_entity_tag() {
        String model = "lightbulb-etag";
        put(MudFiles.RFC_MANUFACTURER, model, rfcExampleFor(model));
        String etag = given().get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");

        given().header("If-None-Match", etag)
                .get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(304);
        given().header("If-None-Match", "\"something-else\"")
                .get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(200);
    }

    @Test
    void the_same_file_again_changes_nothing_and_a_new_one_needs_a_later_last_update() throws Exception {
        String model = "lightbulb-versions";
        String first = rfcExampleFor(model);
        assertThat(put(MudFiles.RFC_MANUFACTURER, model, first).statusCode()).isEqualTo(201);
        ExtractableResponse<Response> again = put(MudFiles.RFC_MANUFACTURER, model, first);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.path("version", new String[0]).toString()).isEqualTo("1");

        String sameDate = first.replace("\"cache-validity\": 48", "\"cache-validity\": 12");
        ExtractableResponse<Response> stale = put(MudFiles.RFC_MANUFACTURER, model, sameDate);
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.path("code", new String[0]).toString()).isEqualTo("MUD_FILE_STALE");

        String later = sameDate.replace("2019-01-28T11:20:51+01:00", "2026-11-23T08:00:00Z");
        ExtractableResponse<Response> second = put(MudFiles.RFC_MANUFACTURER, model, later);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.path("version", new String[0]).toString()).isEqualTo("2");
        given().get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .header("Cache-Control", "public, max-age=43200, no-transform");
        assertThat(auditEntries(MudFiles.RFC_MANUFACTURER + "/" + model)).isEqualTo(2);
    }

    @Test
    void an_invalid_file_gets_every_problem_with_its_pointer_and_nothing_is_stored() {
        String model = "lightbulb-invalid";
        String bad = rfcExampleFor(model).replace("\"cache-validity\": 48", "\"cache-validity\": 0")
                .replace("\"name\": \"mud-76100-v6to\"\n          }", "\"name\": \"missing-acl\"\n          }")
                .replace("\"port\": 443", "\"port\": 65536");
        as("policy-admin").contentType(MUD_JSON)
                .body(bad)
                .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MUD_FILE_INVALID"))
                .body("violations.pointer", hasItem("/ietf-mud:mud/cache-validity"))
                .body("violations.pointer", hasItem("/ietf-mud:mud/to-device-policy/access-lists/access-list/0/name"))
                .body("violations.pointer",
                        hasItem("/ietf-access-control-list:acls/acl/1/aces/ace/0/matches/tcp/destination-port/port"));
        given().get("/mud/{manufacturer}/{model}.json", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(404)
                .body("code", equalTo("MUD_FILE_NOT_FOUND"));
    }

    @Test
    void bad_bodies_are_refused_with_problems() {
        String model = "lightbulb-bad-bodies";
        as("policy-admin").contentType(MUD_JSON)
                .body("this is not json")
                .put("/api/v1/admin/mud/x/{model}", model)
                .then()
                .statusCode(400)
                .body("violations", hasSize(1))
                .body("violations[0].message", startsWith("not well-formed JSON"));
        as("policy-admin").contentType(MUD_JSON)
                .body("{\"ietf-mud:mud\": {}, \"ietf-mud:mud\": {}}")
                .put("/api/v1/admin/mud/x/{model}", model)
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/ietf-mud:mud"));
        as("policy-admin").contentType(MUD_JSON)
                .body(new byte[1024 * 1024 + 1])
                .put("/api/v1/admin/mud/x/{model}", model)
                .then()
                .statusCode(413)
                .body("code", equalTo("BODY_TOO_LARGE"));
        as("policy-admin").contentType("text/plain")
                .body(rfcExampleFor(model))
                .put("/api/v1/admin/mud/x/{model}", model)
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        as("policy-admin").contentType(MUD_JSON)
                .body(rfcExampleFor(model))
                .put("/api/v1/admin/mud/x/{model}", "m".repeat(129))
                .then()
                .statusCode(400)
                .body("code", equalTo("MODEL_NAME_INVALID"));
        as("auditor").get("/api/v1/admin/mud")
                .then()
                .statusCode(200)
                .body("model", not(hasItem(model)));
    }

    @Test
    void a_last_update_far_in_the_future_is_refused_because_it_would_lock_the_model() {
        String model = "lightbulb-future";
        as("policy-admin").contentType(MUD_JSON)
                .body(rfcExampleFor(model).replace("2019-01-28T11:20:51+01:00", "9999-01-01T00:00:00Z"))
                .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.RFC_MANUFACTURER, model)
                .then()
                .statusCode(400)
                .body("violations[0].pointer", equalTo("/ietf-mud:mud/last-update"));
    }

    private static int auditEntries(String subject) throws Exception {
        var config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                PreparedStatement select = connection.prepareStatement(
                        "select count(*) from mud.audit_log where action = 'mud-file.published' and subject = ?")) {
            select.setString(1, subject);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
