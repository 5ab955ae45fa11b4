package io.simanchor.identity.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.http.ContentType;
import io.simanchor.identity.domain.ManifestRecord;
import io.simanchor.support.crypto.PemCodec;
import io.simanchor.support.testing.TestOidcResource;

/**
 * The tests' SIM vendor: one P-256 key that endorses the SIM keys of the devices tests register, as a real
 * vendor's manifest does (a tenant enrolls only endorsed SIM keys unless it allows otherwise).
 */
public final class TestVendor {

    /** The id the vendor key is registered under in each tenant. */
    public static final String KEY_ID = "test-vendor";

    private static final KeyPair KEY = TestDevice.p256().keys();
    private static final Set<String> REGISTERED_IN = ConcurrentHashMap.newKeySet();

    private TestVendor() {
    }

    /** Creates the tenant if needed and registers the vendor key there as {@code keyId}. */
    public static void givenVendorKey(String tenant, String keyId) {
        String token = TestOidcResource.token("bob", "policy-admin");
        given().auth().oauth2(token).put("/api/v1/admin/tenants/" + tenant).then().statusCode(anyOf(is(200), is(201)));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("publicKey", publicKeyPem()))
                .put("/api/v1/admin/tenants/" + tenant + "/vendor-keys/" + keyId)
                .then()
                .statusCode(200);
    }

    /**
     * The manifest fields that pin {@code simKeyOf}'s key for {@code device} in {@code tenant}, endorsed by the
     * vendor key registered there as {@link #KEY_ID} (registered on first use in the tenant).
     */
    public static Map<String, String> endorsedFields(TestDevice device, TestDevice simKeyOf, String tenant,
            String imei) {
        if (REGISTERED_IN.add(tenant)) {
            givenVendorKey(tenant, KEY_ID);
        }
        return endorsedRecord(device, simKeyOf, tenant, imei);
    }

    /**
     * The same fields as {@link #endorsedFields}, without registering the vendor key: for tests that reach the
     * service elsewhere than RestAssured's default address.
     */
    public static Map<String, String> endorsedRecord(TestDevice device, TestDevice simKeyOf, String tenant,
            String imei) {
        ManifestRecord record = new ManifestRecord(device.iccid(), imei, IdentityApi.HW_MODEL,
                IdentityApi.MANUFACTURER, simKeyOf.spkiBase64(), KEY_ID, null);
        return Map.of("tenantId", tenant, "iccid", device.iccid(), "imei", imei, "hwModel", IdentityApi.HW_MODEL,
                "manufacturer", IdentityApi.MANUFACTURER, "simPublicKey", simKeyOf.spkiBase64(), "vendorKeyId",
                KEY_ID, "endorsement", Base64.getEncoder().encodeToString(sign(record.endorsedBytes())));
    }

    /** The vendor's public key, PEM SubjectPublicKeyInfo. */
    public static String publicKeyPem() {
        return PemCodec.encode(PemCodec.PUBLIC_KEY, KEY.getPublic().getEncoded());
    }

    /** The vendor's endorsement signature (DER ECDSA P-256/SHA-256) over {@code message}. */
    public static byte[] sign(byte[] message) {
        return TestDevice.sign(KEY, message);
    }

    /**
     * Lets {@code tenant} (created if needed) enroll registrations without a vendor-endorsed SIM key, for the
     * tests of keys a vendor would never endorse.
     */
    public static void allowUnendorsedEnrollment(String tenant, boolean allowed) {
        String token = TestOidcResource.token("bob", "policy-admin");
        given().auth().oauth2(token).put("/api/v1/admin/tenants/" + tenant).then().statusCode(anyOf(is(200), is(201)));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("unendorsedEnrollment", allowed))
                .put("/api/v1/admin/tenants/" + tenant + "/enrollment-policy")
                .then()
                .statusCode(200)
                .body("unendorsedEnrollment", is(allowed));
    }
}
