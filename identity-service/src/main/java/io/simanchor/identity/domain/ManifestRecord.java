package io.simanchor.identity.domain;

import java.nio.charset.StandardCharsets;

/**
 * One record of a SIM vendor's manifest (JSON Lines), fields as received.
 *
 * @param iccid the SIM's ICCID
 * @param imei the device's IMEI
 * @param hwModel hardware model
 * @param manufacturer device manufacturer
 * @param simPublicKey the SIM key, base64 DER SubjectPublicKeyInfo, or null
 * @param vendorKeyId which of the tenant's vendor keys signed the endorsement, or null
 * @param endorsement base64 DER ECDSA P-256/SHA-256 signature over {@link #endorsedBytes()}, or null
 */
public record ManifestRecord(
        String iccid,
        String imei,
        String hwModel,
        String manufacturer,
        String simPublicKey,
        String vendorKeyId,
        String endorsement) {

    /** Domain separation: the vendor's signature over this record can serve no other purpose. */
    public static final String ENDORSEMENT_CONTEXT = "simanchor-sim-endorsement-v1";

    /**
     * What the vendor signs: the context and the five fields, each on its own line, UTF-8, with an empty
     * line where there is no SIM key (docs/registrations.md).
     */
    public byte[] endorsedBytes() {
        return String.join("\n", ENDORSEMENT_CONTEXT, iccid, imei, hwModel, manufacturer,
                simPublicKey == null ? "" : simPublicKey).getBytes(StandardCharsets.UTF_8);
    }
}
