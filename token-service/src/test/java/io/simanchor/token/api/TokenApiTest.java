package io.simanchor.token.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.support.outbox.DirectPublisher;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.KafkaTestResource;
import io.simanchor.support.testing.TestOidcResource;
import io.simanchor.token.testing.TestDevice;

/**
 * The token endpoint end to end over HTTP with its real PostgreSQL and Kafka: devices become known only
 * through {@code simanchor.device-lifecycle}, decisions leave on {@code simanchor.token-events}.
 */
@QuarkusTest
class TokenApiTest {

    static final String ISSUER = "https://token.simanchor.test";
    static final String FORM = "application/x-www-form-urlencoded";

    static DeviceEvents events;

    @TestHTTPResource("/oauth2/token")
    URI tokenEndpoint;

    @Inject
    DataSource dataSource;

    @Inject
    DirectPublisher issuedEvents;

    @BeforeAll
    static void publisher() {
        events = new DeviceEvents();
    }

    @AfterAll
    static void closePublisher() {
        events.close();
    }

    /** A device enrolled through a lifecycle event, once the service's view knows it. */
    static TestDevice enrolledDevice() {
        TestDevice device = TestDevice.create();
        events.enrolled(device.snapshot(DeviceState.ACTIVE));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> request(device, device.ear(ArStatus.AFFIRMING)).extract().statusCode() == 200);
        return device;
    }

    static ValidatableResponse request(TestDevice device, String ear, String... more) {
        var request = given().contentType(FORM)
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", device.assertion(ISSUER))
                .formParam("attestation_result", ear);
        for (int i = 0; i < more.length; i += 2) {
            request.formParam(more[i], more[i + 1]);
        }
        return request.post("/oauth2/token").then();
    }

    static void assertError(ValidatableResponse response, int status, String error) {
        response.statusCode(status)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", not(nullValue()))
                .body("access_token", nullValue());
    }

    @Test
    void an_attested_device_gets_an_access_token_verifiable_with_the_published_keys() throws Exception {
        TestDevice device = enrolledDevice();
        await().atMost(Duration.ofSeconds(30)).until(issuedEvents::publishesDirectly);
        try (KafkaEvents decisions = KafkaEvents.of(Topics.TOKEN_EVENTS)) {
            var body = request(device, device.ear(ArStatus.AFFIRMING)).statusCode(200)
                    .header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache")
                    .body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(600))
                    .body("scope", equalTo("device"))
                    .extract();

            JWSObject token = JWSObject.parse(body.path("access_token"));
            assertThat(token.getHeader().getType().getType()).isEqualTo("at+jwt");
            JWKSet jwks = JWKSet.parse(given().get("/oauth2/jwks")
                    .then()
                    .statusCode(200)
                    .header("Cache-Control", "public, max-age=300")
                    .extract()
                    .asString());
            assertThat(jwks.getKeys()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(token.verify(new ECDSAVerifier(jwks.getKeyByKeyId(token.getHeader().getKeyID()).toECKey())))
                    .isTrue();
            Map<String, Object> claims = token.getPayload().toJSONObject();
            assertThat(claims).containsEntry("iss", ISSUER)
                    .containsEntry("sub", device.id())
                    .containsEntry("aud", "simanchor-devices")
                    .containsEntry("cnf", Map.of("jkt", device.publicKey().thumbprint()));

            // Sent straight to Kafka: a send that had gone to the outbox instead would have stopped direct
            // publication for a while.
            assertThat(issuedEvents.publishesDirectly()).isTrue();
            assertThat(decisions.awaitAtLeast(1, event -> event.key().equals(device.id())
                    && event.value().contains("\"tokenId\":\"" + claims.get("jti") + "\""), Duration.ofSeconds(10)))
                    .allSatisfy(event -> assertThat(event.value()).contains("\"issued\""));
        }
    }

    @Test
    void tokens_issued_while_kafka_is_down_have_their_events_published_under_one_id_each_after_it_returns()
            throws Exception {
        TestDevice device = enrolledDevice();
        List<String> tokenIds = new ArrayList<>();
        KafkaTestResource.broker().stopBroker();
        try {
            for (int i = 0; i < 3; i++) {
                String token = request(device, device.ear(ArStatus.AFFIRMING)).statusCode(200)
                        .extract()
                        .path("access_token");
                tokenIds.add((String) JWSObject.parse(token).getPayload().toJSONObject().get("jti"));
            }
        } finally {
            KafkaTestResource.broker().restartBroker();
        }

        try (KafkaEvents decisions = KafkaEvents.of(Topics.TOKEN_EVENTS)) {
            Predicate<KafkaEvents.Event> ofThoseTokens = event -> tokenIds.stream()
                    .anyMatch(id -> event.value().contains("\"tokenId\":\"" + id + "\""));
            decisions.awaitAtLeast(3, ofThoseTokens, Duration.ofSeconds(60));
            // Each token's event under one id: a copy that reached the broker late as well as through the
            // outbox shares it, so a consumer drops the copy.
            List<KafkaEvents.Event> published = decisions.drain(Duration.ofSeconds(3));
            for (String tokenId : tokenIds) {
                assertThat(published.stream()
                        .filter(event -> event.value().contains("\"tokenId\":\"" + tokenId + "\""))
                        .map(KafkaEvents.Event::id)
                        .distinct()).as("event ids of token %s", tokenId).hasSize(1);
            }
        }
    }

    private long outboxRowsFor(String deviceId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection
                        .prepareStatement("select count(*) from token.outbox where record_key = ?")) {
            count.setString(1, deviceId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void a_replayed_assertion_is_refused_and_reported_as_an_attack() {
        TestDevice device = enrolledDevice();
        String assertion = device.assertion(ISSUER);
        String ear = device.ear(ArStatus.AFFIRMING);
        post(form(assertion, ear)).statusCode(200);
        try (KafkaEvents security = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            assertError(post(form(assertion, ear)), 401, "invalid_client");
            assertThat(security.awaitAtLeast(1, event -> event.key().equals(device.id())
                    && event.value().contains("ASSERTION_REPLAYED"), Duration.ofSeconds(10))).isNotEmpty();
        }
        // Refusals go through the outbox; at outbox-retention PT0S (the default here) the relay deletes a
        // row once the broker has its event.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> outboxRowsFor(device.id()) == 0);
    }

    @Test
    void malformed_requests_get_rfc_6749_errors_never_a_server_error() {
        TestDevice device = enrolledDevice();
        String assertion = device.assertion(ISSUER);
        String ear = device.ear(ArStatus.AFFIRMING);
        assertError(given().contentType("application/json")
                .body(Map.of("grant_type", "client_credentials"))
                .post("/oauth2/token")
                .then(), 400, "invalid_request");
        assertError(given().contentType(FORM).formParam("grant_type", "password").post("/oauth2/token").then(), 400,
                "unsupported_grant_type");
        // No client authentication at all (RFC 6749 §5.2).
        assertError(given().contentType(FORM)
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then(), 401, "invalid_client");
        assertError(given().contentType(FORM)
                .body(form(assertion, ear) + "&grant_type=client_credentials")
                .post("/oauth2/token")
                .then(), 400, "invalid_request");
        assertError(given().contentType(FORM)
                .body("grant_type=client_credentials&client_assertion=%zz")
                .post("/oauth2/token")
                .then(), 400, "invalid_request");
        assertError(post(form(assertion, ear) + "&x=1".repeat(40)), 400, "invalid_request");
        // '#' and '?' are ordinary characters in a form: the repeat after a '#' is seen, and "?grant_type" is
        // no grant_type.
        assertError(post(form(assertion, ear) + "#&grant_type=client_credentials"), 400, "invalid_request");
        assertError(post("?" + form(assertion, ear)), 400, "invalid_request");
        assertError(given().body(form(assertion, ear)).post("/oauth2/token").then(), 400, "invalid_request");
        assertError(post(form("not-a-jwt", ear)), 401, "invalid_client");
        assertError(post(form(assertion, ear) + "&client_id=another-client"), 401, "invalid_client");
        assertError(post(form(assertion, ear) + "&scope=admin"), 400, "invalid_scope");
        assertError(given().contentType(FORM)
                .body("grant_type=client_credentials&client_assertion=" + "A".repeat(20_000))
                .post("/oauth2/token")
                .then(), 413, "invalid_request");
        // RFC 6749 §3.2: POST only.
        assertError(given().get("/oauth2/token").then().header("Allow", "POST"), 405, "invalid_request");
        assertError(given().contentType(FORM).body(form(assertion, ear)).put("/oauth2/token").then(), 405,
                "invalid_request");
    }

    @Test
    void the_form_media_type_is_matched_without_regard_to_case_or_parameters() throws Exception {
        TestDevice device = enrolledDevice();
        String form = form(device.assertion(ISSUER), device.ear(ArStatus.AFFIRMING));
        // java.net.http sends the media type as written; RestAssured would rewrite one it recognises.
        HttpResponse<String> issued = postRaw("Application/X-WWW-Form-URLEncoded ; charset=UTF-8", form);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(issued.headers().firstValue("Pragma")).contains("no-cache");
        assertThat(issued.body()).contains("\"token_type\":\"Bearer\"");
        HttpResponse<String> refused = postRaw("application/x-www-form-urlencodedx", form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"error\":\"invalid_request\"");
    }

    @Test
    void a_body_that_declares_a_length_and_a_transfer_coding_is_refused_before_it_is_read() throws Exception {
        // RFC 9112 §6.3: the pair is a smuggling attempt. Netty keeps the length of an HTTP/1.0 request and
        // reads it chunked, so one declared byte could otherwise carry an unbounded body.
        String head = "POST /oauth2/token HTTP/1.0\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        // Only the head is sent: the refusal must come before any of the body is read.
        assertThat(rawExchange(head))
                .startsWith("HTTP/1.0 400")
                .contains("\"error\":\"invalid_request\"");
        // HTTP/1.1: the length is dropped and a chunked body has no declared length.
        assertThat(rawExchange(head.replace("HTTP/1.0", "HTTP/1.1")))
                .startsWith("HTTP/1.1 411")
                .contains("\"error\":\"invalid_request\"");
    }

    /** Sends {@code request} as it is and reads one answer: its head and a body of its Content-Length. */
    private String rawExchange(String request) throws Exception {
        try (Socket socket = new Socket(tokenEndpoint.getHost(), tokenEndpoint.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                assertThat(c).as("answer so far: %s", head).isNotNegative();
                head.append((char) c);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            assertThat(length.find()).as("Content-Length in %s", head).isTrue();
            return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> postRaw(String contentType, String body) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(HttpRequest.newBuilder(tokenEndpoint)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_attestation_decides_and_a_newer_worse_appraisal_supersedes_an_older_ear() {
        TestDevice device = enrolledDevice();
        assertError(request(device, device.ear(ArStatus.CONTRAINDICATED)), 400, "invalid_grant");
        assertError(request(device, device.ear(ArStatus.WARNING)), 400, "invalid_grant");
        request(device, device.ear(ArStatus.WARNING), "scope", "firmware").statusCode(200)
                .body("scope", equalTo("firmware"));

        String olderEar = device.ear(ArStatus.AFFIRMING, Instant.now().minusSeconds(30),
                io.simanchor.token.testing.VerifierKeyResource.KEY.getPrivate());
        Instant appraised = Instant.now();
        events.appraised(new AttestationResultV1(device.id(), "default", "contraindicated", Map.of("executables", 96),
                "simanchor/default/v1", "tracker-x1", "6.6.6", List.of("MEASUREMENT_MISMATCH"),
                device.publicKey().thumbprint(), appraised, appraised.plusSeconds(3600),
                device.ear(ArStatus.CONTRAINDICATED, appraised,
                        io.simanchor.token.testing.VerifierKeyResource.KEY.getPrivate())));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> request(device, olderEar).extract().statusCode() == 400);
        assertError(request(device, olderEar), 400, "invalid_grant");
    }

    @Test
    void a_suspended_device_stops_getting_tokens_within_5_seconds() {
        TestDevice device = enrolledDevice();
        Instant suspended = Instant.now();
        events.stateChanged(device.snapshot(DeviceState.SUSPENDED), DeviceState.ACTIVE);

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> request(device, device.ear(ArStatus.AFFIRMING)).extract().statusCode() == 400);
        assertThat(Duration.between(suspended, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertError(request(device, device.ear(ArStatus.AFFIRMING)), 400, "unauthorized_client");
    }

    @Test
    void a_flooding_device_gets_429_and_the_others_do_not() {
        TestDevice flooding = enrolledDevice();
        TestDevice other = enrolledDevice();
        int limited = 0;
        for (int i = 0; i < 60; i++) {
            var response = request(flooding, flooding.ear(ArStatus.AFFIRMING)).extract();
            if (response.statusCode() == 429) {
                assertThat(response.header("Retry-After")).matches("[1-9][0-9]*");
                assertThat(response.jsonPath().getString("error")).isEqualTo("temporarily_unavailable");
                limited++;
            }
        }
        assertThat(limited).isPositive();
        request(other, other.ear(ArStatus.AFFIRMING)).statusCode(200);
    }

    @Test
    void rotation_keeps_earlier_tokens_valid_and_signs_with_the_key_published_in_advance() throws Exception {
        TestDevice device = enrolledDevice();
        JWSObject before = JWSObject.parse(request(device, device.ear(ArStatus.AFFIRMING)).extract()
                .path("access_token"));
        JWKSet jwksBefore = JWKSet.parse(given().get("/oauth2/jwks").asString());

        given().post("/api/v1/admin/keys:rotate").then().statusCode(401);
        given().auth()
                .oauth2(TestOidcResource.token("alice", "device-admin"))
                .post("/api/v1/admin/keys:rotate")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestOidcResource.tenantToken("tina", "acme", "policy-admin"))
                .post("/api/v1/admin/keys:rotate")
                .then()
                .statusCode(403)
                .body("code", equalTo("PLATFORM_OPERATOR_REQUIRED"));
        String current = given().auth()
                .oauth2(TestOidcResource.token("pat", "policy-admin"))
                .post("/api/v1/admin/keys:rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("currentKeyId");

        assertThat(current).isNotEqualTo(before.getHeader().getKeyID());
        assertThat(jwksBefore.getKeyByKeyId(current)).as("the new signing key was published before it signed")
                .isNotNull();
        JWKSet jwksAfter = JWKSet.parse(given().get("/oauth2/jwks").asString());
        assertThat(before.verify(new ECDSAVerifier(jwksAfter.getKeyByKeyId(before.getHeader().getKeyID()).toECKey())))
                .isTrue();
        JWSObject after = JWSObject.parse(request(device, device.ear(ArStatus.AFFIRMING)).extract()
                .path("access_token"));
        assertThat(after.getHeader().getKeyID()).isEqualTo(current);
        assertThat(jwksAfter.getKeys()).as("every key published before, plus a new next key")
                .hasSize(jwksBefore.getKeys().size() + 1)
                .extracting(key -> key.getKeyID())
                .containsAll(jwksBefore.getKeys().stream().map(key -> key.getKeyID()).toList());
    }

    @Test
    void metadata_describes_the_endpoint() {
        given().get("/.well-known/oauth-authorization-server")
                .then()
                .statusCode(200)
                .body("issuer", equalTo(ISSUER))
                .body("token_endpoint", equalTo(ISSUER + "/oauth2/token"))
                .body("jwks_uri", equalTo(ISSUER + "/oauth2/jwks"))
                .body("grant_types_supported", hasItems("client_credentials"))
                .body("token_endpoint_auth_methods_supported", hasItems("private_key_jwt"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItems("ES256"))
                .body("scopes_supported", hasItems("device", "firmware"));
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths.'/oauth2/token'.post.requestBody.content", hasKey("application/x-www-form-urlencoded"));
    }

    private static String form(String assertion, String ear) {
        return "grant_type=client_credentials&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion
                + "&attestation_result=" + ear;
    }

    private static ValidatableResponse post(String form) {
        return given().contentType(FORM).body(form).post("/oauth2/token").then();
    }
}
