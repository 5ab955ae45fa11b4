package io.simanchor.identity.domain;

import java.util.Optional;

import io.simanchor.support.crypto.EcPublicKey;

/**
 * An expected device, registered by an operator or imported from a SIM vendor's manifest before the
 * device ever connects.
 *
 * @param id internal id
 * @param tenantId owning tenant
 * @param iccid the SIM's ICCID
 * @param imei the device's IMEI
 * @param hwModel hardware model
 * @param manufacturer device manufacturer
 * @param simKey the SIM key the vendor endorsed, if the manifest named one: enrollment then accepts only it
 * @param deviceId the device enrolled for this registration, once it has
 */
public record Registration(
        long id,
        String tenantId,
        Iccid iccid,
        String imei,
        String hwModel,
        String manufacturer,
        Optional<EcPublicKey> simKey,
        Optional<String> deviceId) {

    /** Whether a device already enrolled against this registration. */
    public boolean isEnrolled() {
        return deviceId.isPresent();
    }
}
