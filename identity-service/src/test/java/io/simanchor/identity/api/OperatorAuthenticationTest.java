package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.support.testing.TestOidcResource;

/**
 * Hostile operator tokens: every spoiled token is refused with 401 before any admin code runs; a valid
 * token without the endpoint's role gets 403.
 */
@QuarkusTest
class OperatorAuthenticationTest {

    private static final String ADMIN_PATH = "/api/v1/admin/devices";

    @Test
    void a_valid_token_with_the_role_is_let_in() {
        get(TestOidcResource.deviceAdmin()).statusCode(200);
    }

    @Test
    void no_token_is_401() {
        given().get(ADMIN_PATH).then().statusCode(401);
    }

    @Test
    void a_token_for_another_audience_is_401() {
        get(TestOidcResource.sign(TestOidcResource.claims("alice", "device-admin").audience("some-other-api").build()))
                .statusCode(401);
    }

    @Test
    void an_expired_token_is_401() {
        Instant past = Instant.now().minusSeconds(3600);
        get(TestOidcResource.sign(TestOidcResource.claims("alice", "device-admin")
                .issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(300)))
                .build())).statusCode(401);
    }

    @Test
    void a_token_from_another_issuer_is_401() {
        get(TestOidcResource.sign(TestOidcResource.claims("alice", "device-admin")
                .issuer("https://evil.example/realms/simanchor")
                .build())).statusCode(401);
    }

    @Test
    void a_token_signed_by_an_untrusted_key_is_401() {
        get(TestOidcResource.signWithUntrustedKey(TestOidcResource.claims("alice", "device-admin").build()))
                .statusCode(401);
    }

    @Test
    void an_unsigned_alg_none_token_is_401() {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url(TestOidcResource.claims("alice", "device-admin").build().toString());
        get(header + "." + payload + ".").statusCode(401);
    }

    @Test
    void a_token_without_the_role_is_403() {
        get(TestOidcResource.token("mallory", "some-unrelated-role")).statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse get(String token) {
        return given().auth().oauth2(token).get(ADMIN_PATH).then();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
