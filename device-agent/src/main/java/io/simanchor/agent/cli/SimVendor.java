package io.simanchor.agent.cli;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.enroll.SoftwareKey;
import io.simanchor.api.registry.SimEndorsement;

/**
 * The simulated fleet's SIM vendor: a P-256 key registered with the tenant, which endorses each simulated SIM's
 * key as a vendor's manifest does. identity-service enrolls only SIM keys their vendor endorsed, unless the
 * tenant explicitly allows otherwise, so the simulator registers its devices the way a real fleet arrives.
 */
public final class SimVendor {

    private final SoftwareKey key;
    private final String keyId;

    private SimVendor(SoftwareKey key, String keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    /** A new vendor whose key is registered for {@code tenant} (needs the policy-admin role). */
    public static SimVendor registered(IdentityClient identity, String token, String tenant, SecureRandom random) {
        SimVendor vendor = new SimVendor(SoftwareKey.generate(random),
                "fleet-vendor-" + Long.toHexString(random.nextLong()));
        Await.result(identity.putVendorKey(token, tenant, vendor.keyId, vendor.publicKeyPem()));
        return vendor;
    }

    String keyId() {
        return keyId;
    }

    /** The registration (manifest record) of a simulated SIM with {@code simKey}, endorsed by this vendor. */
    Map<String, String> registration(String iccid, String imei, String hwModel, PublicKey simKey) {
        return registration(iccid, imei, hwModel, SimulatedSims.MANUFACTURER, simKey);
    }

    /** The registration (manifest record) of a SIM with {@code simKey}, endorsed by this vendor. */
    public Map<String, String> registration(String iccid, String imei, String hwModel, String manufacturer,
            PublicKey simKey) {
        String spki = Base64.getEncoder().encodeToString(simKey.getEncoded());
        byte[] endorsement = key.sign(SimEndorsement.signedBytes(iccid, imei, hwModel, manufacturer, spki));
        Map<String, String> record = new LinkedHashMap<>();
        record.put("iccid", iccid);
        record.put("imei", imei);
        record.put("hwModel", hwModel);
        record.put("manufacturer", manufacturer);
        record.put("simPublicKey", spki);
        record.put("vendorKeyId", keyId);
        record.put("endorsement", Base64.getEncoder().encodeToString(endorsement));
        return record;
    }

    private String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.keyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
