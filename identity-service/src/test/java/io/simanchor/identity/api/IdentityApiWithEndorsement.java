package io.simanchor.identity.api;

import java.util.Base64;
import java.util.Map;

import io.restassured.response.ValidatableResponse;
import io.simanchor.identity.domain.ManifestRecord;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.TestDevice;

/** Registrations that pin a SIM key, endorsed by the test vendor key. */
final class IdentityApiWithEndorsement {

    private IdentityApiWithEndorsement() {
    }

    /** Registers {@code device} with {@code simKeyOf}'s key, endorsed by {@code vendorKeyId}. */
    static ValidatableResponse register(TestDevice device, TestDevice simKeyOf, String tenant, String vendorKeyId) {
        String imei = TestDevice.randomImei();
        ManifestRecord record = new ManifestRecord(device.iccid(), imei, "tracker-x1", "Acme Devices",
                simKeyOf.spkiBase64(), vendorKeyId, null);
        String endorsement = Base64.getEncoder()
                .encodeToString(RegistrationAdminTest.vendorSign(record.endorsedBytes()));
        return IdentityApi.register(device, Map.of("tenantId", tenant, "imei", imei, "simPublicKey",
                simKeyOf.spkiBase64(), "vendorKeyId", vendorKeyId, "endorsement", endorsement));
    }
}
