package io.simanchor.identity.testing;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.support.testing.TestOidcResource;

/** The service's REST API as tests drive it: short, readable steps of a device's or operator's flow. */
public final class IdentityApi {

    private IdentityApi() {
    }

    /** Registers the device in the default tenant as an operator would. */
    public static void givenRegistered(TestDevice device) {
        register(device, Map.of()).statusCode(201);
    }

    /** Registers the device with extra manifest fields (simPublicKey, endorsement...). */
    public static ValidatableResponse register(TestDevice device, Map<String, String> extra) {
        Map<String, String> body = new HashMap<>(Map.of("iccid", device.iccid(), "imei", TestDevice.randomImei(),
                "hwModel", "tracker-x1", "manufacturer", "Acme Devices"));
        body.putAll(extra);
        return postRegistration(body);
    }

    /** Posts this registration body as a device-admin. */
    public static ValidatableResponse postRegistration(Map<String, String> body) {
        return given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/admin/registrations")
                .then();
    }

    /** Asks for an enrollment challenge. */
    public static ValidatableResponse challenge(String iccid) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("iccid", iccid))
                .post("/api/v1/enrollment/challenges")
                .then();
    }

    /** Sends an enrollment. */
    public static ValidatableResponse enroll(String challengeId, String csrPem) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("challengeId", challengeId, "csr", csrPem))
                .post("/api/v1/enrollments")
                .then();
    }

    /** Registers and enrolls the device; returns its device id. */
    public static String givenEnrolled(TestDevice device) {
        givenRegistered(device);
        return enrollNow(device);
    }

    /** Enrolls an already registered device; returns its device id. */
    public static String enrollNow(TestDevice device) {
        Challenge challenge = Challenge.of(challenge(device.iccid()).statusCode(201));
        return enroll(challenge.id(), device.csr(challenge.nonce())).statusCode(201).extract().path("deviceId");
    }

    /**
     * A challenge as the service returned it.
     *
     * @param id challenge id
     * @param nonce the nonce
     */
    public record Challenge(String id, String nonce) {

        public static Challenge of(ValidatableResponse response) {
            return new Challenge(response.extract().path("challengeId"), response.extract().path("nonce"));
        }
    }
}
