package io.simanchor.interop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.support.testing.TestOidcResource;

/**
 * token-service with clients nobody here wrote: the Nimbus OAuth 2.0 SDK's {@code private_key_jwt}
 * client authentication and client-credentials grant obtain tokens, and a quarkus-smallrye-jwt relying
 * party that knows only the JWKS URL and the issuer accepts them — before and after a key rotation.
 */
@QuarkusTest
@QuarkusTestResource(value = TokenServiceResource.class, restrictToAnnotatedClass = true)
class TokenInteropTest {

    @Test
    void a_nimbus_client_gets_tokens_a_smallrye_jwt_relying_party_accepts_across_a_key_rotation() throws Exception {
        String deviceId = UUID.randomUUID().toString();
        ECKey deviceKey = new ECKeyGenerator(Curve.P_256).generate();
        TokenServiceResource.enroll(deviceId, deviceKey);
        URI tokenEndpoint = URI.create(TokenServiceResource.tokenService.baseUrl() + "/oauth2/token");

        // Refused (invalid_client) until the enrollment has reached token-service's device view.
        String before = await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> token(tokenEndpoint, deviceId, deviceKey), Answer::issued)
                .accessToken();
        assertAccepted(before, deviceId);

        given().baseUri(TokenServiceResource.tokenService.baseUrl())
                .auth()
                .oauth2(TestOidcResource.token("pat", "policy-admin"))
                .post("/api/v1/admin/keys:rotate")
                .then()
                .statusCode(200);
        String after = token(tokenEndpoint, deviceId, deviceKey).accessToken();

        assertThat(JWSObject.parse(after).getHeader().getKeyID())
                .isNotEqualTo(JWSObject.parse(before).getHeader().getKeyID());
        // The relying party cached the key set before the rotation: the new signing key was already in it.
        assertAccepted(after, deviceId);
        assertAccepted(before, deviceId);
        given().auth()
                .oauth2(after.substring(0, after.length() - 4) + "AAAA")
                .get("/api/device/me")
                .then()
                .statusCode(401);
    }

    /** A token endpoint's answer: the access token, or the RFC 6749 error. */
    private record Answer(String accessToken, String error) {

        boolean issued() {
            return accessToken != null;
        }

        @Override
        public String accessToken() {
            assertThat(error).as("token endpoint error").isNull();
            return accessToken;
        }
    }

    /** The Nimbus SDK's client credentials request with its own private_key_jwt, plus the EAR. */
    private static Answer token(URI tokenEndpoint, String deviceId, ECKey deviceKey) throws Exception {
        PrivateKeyJWT authentication = new PrivateKeyJWT(new ClientID(deviceId), tokenEndpoint, JWSAlgorithm.ES256,
                deviceKey.toECPrivateKey(), null, null);
        TokenRequest request = new TokenRequest.Builder(tokenEndpoint, authentication, new ClientCredentialsGrant())
                .customParameter("attestation_result", ear(deviceId, deviceKey))
                .build();
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            return new Answer(null, response.toErrorResponse().getErrorObject().toJSONObject().toString());
        }
        AccessTokenResponse success = response.toSuccessResponse();
        return new Answer(success.getTokens().getAccessToken().getValue(), null);
    }

    private static void assertAccepted(String accessToken, String deviceId) {
        given().auth()
                .oauth2(accessToken)
                .get("/api/device/me")
                .then()
                .statusCode(200)
                .body("subject", equalTo(deviceId));
    }

    /** An EAR as attestation-service issues it, signed with the stand-in verifier key. */
    private static String ear(String deviceId, ECKey deviceKey) throws Exception {
        long now = Instant.now().getEpochSecond();
        JWSObject ear = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("eat+jwt"))
                .keyID(TokenServiceResource.VERIFIER_KEY_ID)
                .build(),
                new Payload(Map.of("eat_profile", "tag:github.com,2023:veraison/ear", "iat", now, "exp", now + 3600,
                        "ear.verifier-id", Map.of("developer", "interop", "build", "test"), "sub", deviceId, "cnf",
                        Map.of("jkt", deviceKey.computeThumbprint().toString()), "submods",
                        Map.of("device", Map.of("ear.status", "affirming", "ear.appraisal-policy-id", "interop")))));
        ear.sign(new ECDSASigner(TokenServiceResource.verifierKey));
        return ear.serialize();
    }
}
