package io.simanchor.identity.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.simanchor.identity.testing.IdentityApi.Challenge;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.identity.testing.TestVendor;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.KeycloakServer;
import io.simanchor.support.testing.PackagedService;

/**
 * The packaged identity-service against a real Keycloak (realm from k8s/base/keycloak), PostgreSQL and
 * Kafka: an operator token with the role is let in, no token is 401, a token without the role is 403, and an
 * operator of one tenant (the realm's tenant mapper) finds, imports and changes nothing of another tenant.
 */
class KeycloakAdminAccessIT {

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;
    private static KeycloakServer keycloak;
    private static PackagedService identity;

    @BeforeAll
    static void startPlatform() {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start();
        keycloak = KeycloakServer.start(Path.of("target"));
        Map<String, String> environment = new HashMap<>(postgres.environment("identity"));
        kafka.serviceConfig("identity-service")
                .forEach((key, value) -> environment.put(PackagedService.environmentName(key), value));
        environment.putAll(Map.of(
                "QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl(),
                "SIMANCHOR_IDENTITY_CHALLENGE_MAC_KEY", "aXQtb25seS1jaGFsbGVuZ2UtbWFjLWtleS1mb3Ita2V5Y2xvYWs",
                // The packaged service runs in production mode, where every keystore is required (issue 28).
                "SIMANCHOR_IDENTITY_CA_KEYSTORE_PATH", keystore("device-ca.p12"),
                "SIMANCHOR_IDENTITY_CA_KEYSTORE_PASSWORD", "it-ca-secret",
                "SIMANCHOR_IDENTITY_RECORDS_KEYSTORE_PATH", keystore("lifecycle-records.p12"),
                "SIMANCHOR_IDENTITY_RECORDS_KEYSTORE_PASSWORD", "it-records-secret"));
        identity = PackagedService.start("identity-service", environment);
    }

    /** A fresh keystore file under target/, so every run makes its own keys. */
    private static String keystore(String name) {
        try {
            Path file = Path.of("target", "it-data", "keycloak-admin-" + name).toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopPlatform() {
        for (AutoCloseable server : new AutoCloseable[]{identity, keycloak, kafka, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    @Test
    void operator_with_device_admin_registers_a_device() {
        given().baseUri(identity.baseUrl())
                .auth()
                .oauth2(keycloak.clientToken(KeycloakServer.OPERATOR_CLIENT))
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", TestVendor.publicKeyPem()))
                .put("/api/v1/admin/tenants/default/vendor-keys/" + TestVendor.KEY_ID)
                .then()
                .statusCode(200);
        given().baseUri(identity.baseUrl())
                .auth()
                .oauth2(keycloak.clientToken(KeycloakServer.OPERATOR_CLIENT))
                .contentType(ContentType.JSON)
                .body(registration())
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(201)
                .body("created", is(true));
    }

    @Test
    void request_without_token_is_401() {
        given().baseUri(identity.baseUrl())
                .contentType(ContentType.JSON)
                .body(registration())
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("code", is("UNAUTHENTICATED"));
    }

    @Test
    void token_without_the_role_is_403_but_may_read() {
        String auditorToken = keycloak.clientToken(KeycloakServer.MONITORING_CLIENT);
        given().baseUri(identity.baseUrl())
                .auth()
                .oauth2(auditorToken)
                .contentType(ContentType.JSON)
                .body(registration())
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("code", is("FORBIDDEN"));
        given().baseUri(identity.baseUrl())
                .auth()
                .oauth2(auditorToken)
                .get("/api/v1/admin/devices")
                .then()
                .statusCode(200);
    }

    @Test
    void an_operator_of_one_tenant_cannot_see_or_change_another_tenant() throws Exception {
        String platformOperator = keycloak.clientToken(KeycloakServer.OPERATOR_CLIENT);
        String suffix = Long.toString(System.nanoTime(), 36);
        String tenantA = "kc-a-" + suffix;
        String tenantB = "kc-b-" + suffix;
        for (String tenant : new String[]{tenantA, tenantB}) {
            platform(platformOperator).put("/api/v1/admin/tenants/" + tenant).then().statusCode(201);
            platform(platformOperator).contentType(ContentType.JSON)
                    .body(Map.of("publicKey", TestVendor.publicKeyPem()))
                    .put("/api/v1/admin/tenants/" + tenant + "/vendor-keys/" + TestVendor.KEY_ID)
                    .then()
                    .statusCode(200);
        }
        String deviceOfB = enrolled(platformOperator, tenantB);
        keycloak.addTenantOperator("operator-" + tenantA, tenantA, "device-admin", "policy-admin", "auditor");
        String operatorOfA = keycloak.clientToken("operator-" + tenantA);
        assertThat(claims(operatorOfA).path("tenant").asText()).isEqualTo(tenantA);

        platform(operatorOfA).get("/api/v1/admin/devices/" + deviceOfB)
                .then()
                .statusCode(404)
                .body("code", is("DEVICE_NOT_FOUND"));
        platform(operatorOfA).contentType("application/x-ndjson")
                .body(("{\"iccid\":\"" + TestDevice.randomIccid() + "\",\"imei\":\"" + TestDevice.randomImei()
                        + "\",\"hwModel\":\"tracker-x1\",\"manufacturer\":\"Acme Devices\"}\n")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/admin/registrations:bulk?tenant=" + tenantB)
                .then()
                .statusCode(403)
                .body("code", is("TENANT_NOT_PERMITTED"));
        platform(operatorOfA).contentType(ContentType.JSON)
                .body(Map.of("unendorsedEnrollment", true))
                .put("/api/v1/admin/tenants/" + tenantB + "/enrollment-policy")
                .then()
                .statusCode(404)
                .body("code", is("TENANT_NOT_FOUND"));
        platform(operatorOfA).get("/api/v1/admin/tenants/" + tenantA + "/enrollment-policy").then().statusCode(200);
        platform(platformOperator).get("/api/v1/admin/devices/" + deviceOfB)
                .then()
                .statusCode(200)
                .body("tenantId", is(tenantB));
    }

    private static RequestSpecification platform(String token) {
        return given().baseUri(identity.baseUrl()).auth().oauth2(token);
    }

    /** Registers an endorsed device in the tenant and enrolls it; its device id. */
    private static String enrolled(String operatorToken, String tenant) {
        TestDevice device = TestDevice.p256();
        platform(operatorToken).contentType(ContentType.JSON)
                .body(TestVendor.endorsedRecord(device, device, tenant, TestDevice.randomImei()))
                .post("/api/v1/admin/registrations")
                .then()
                .statusCode(201);
        Challenge challenge = Challenge.of(given().baseUri(identity.baseUrl())
                .contentType(ContentType.JSON)
                .body(Map.of("iccid", device.iccid()))
                .post("/api/v1/enrollment/challenges")
                .then()
                .statusCode(201));
        return given().baseUri(identity.baseUrl())
                .contentType(ContentType.JSON)
                .body(Map.of("challengeId", challenge.id(), "csr", device.csr(challenge.nonce())))
                .post("/api/v1/enrollments")
                .then()
                .statusCode(201)
                .extract()
                .path("deviceId");
    }

    private static JsonNode claims(String jwt) throws IOException {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** A registration as a vendor's manifest names it: the SIM key, endorsed by the vendor key. */
    private static Map<String, String> registration() {
        TestDevice device = TestDevice.p256();
        return TestVendor.endorsedRecord(device, device, "default", TestDevice.randomImei());
    }
}
