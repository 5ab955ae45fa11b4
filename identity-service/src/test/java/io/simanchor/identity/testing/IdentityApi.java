package io.simanchor.identity.testing;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.support.testing.TestOidcResource;

/** The service's REST API as tests drive it: short, readable steps of a device's or operator's flow. */
public final class IdentityApi {

    /** The hardware model tests register devices with. */
    public static final String HW_MODEL = "tracker-x1";
    /** The manufacturer tests register devices with. */
    public static final String MANUFACTURER = "Acme Devices";
    /** A tenant that allows enrollment without a vendor-endorsed SIM key (created on first use). */
    public static final String UNENDORSED_TENANT = "unendorsed-allowed";

    private static volatile boolean unendorsedTenantReady;

    private IdentityApi() {
    }

    /**
     * Registers the device in the default tenant as a vendor's manifest would: pinned to the device's own SIM
     * key, endorsed by the test vendor.
     */
    public static void givenRegistered(TestDevice device) {
        postRegistration(TestVendor.endorsedFields(device, device, "default", TestDevice.randomImei()))
                .statusCode(201);
    }

    /**
     * Registers the device without a SIM key, in {@link #UNENDORSED_TENANT}, which allows that: for keys a
     * vendor would never endorse and for tests of what the enrollment itself refuses.
     */
    public static void givenRegisteredUnendorsed(TestDevice device) {
        register(device, Map.of("tenantId", unendorsedTenant())).statusCode(201);
    }

    /** {@link #UNENDORSED_TENANT}, created and set to allow unendorsed enrollment on first use. */
    public static String unendorsedTenant() {
        if (!unendorsedTenantReady) {
            TestVendor.allowUnendorsedEnrollment(UNENDORSED_TENANT, true);
            unendorsedTenantReady = true;
        }
        return UNENDORSED_TENANT;
    }

    /** Registers the device with extra manifest fields (simPublicKey, endorsement...). */
    public static ValidatableResponse register(TestDevice device, Map<String, String> extra) {
        Map<String, String> body = new HashMap<>(Map.of("iccid", device.iccid(), "imei", TestDevice.randomImei(),
                "hwModel", HW_MODEL, "manufacturer", MANUFACTURER));
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

    /** Registers (endorsed) and enrolls the device; returns its device id. */
    public static String givenEnrolled(TestDevice device) {
        givenRegistered(device);
        return enrollNow(device);
    }

    /** Registers the device without a SIM key in {@link #UNENDORSED_TENANT} and enrolls it. */
    public static String givenEnrolledUnendorsed(TestDevice device) {
        givenRegisteredUnendorsed(device);
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
