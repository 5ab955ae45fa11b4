package io.simanchor.identity.domain;

import io.simanchor.api.registry.SimEndorsement;

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

    /** What the vendor signed over this record ({@link SimEndorsement}, docs/registrations.md). */
    public byte[] endorsedBytes() {
        return SimEndorsement.signedBytes(iccid, imei, hwModel, manufacturer, simPublicKey);
    }
}
