package io.simanchor.attestation.domain;

import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * What the verifier knows of a device, built from {@code simanchor.device-lifecycle} (never by calling
 * identity-service on the request path, DESIGN.md §2).
 *
 * @param deviceId the device id
 * @param tenantId its tenant
 * @param hwModel the hardware model it was registered with
 * @param key its current SIM key; evidence signed by any other key is refused
 * @param state its lifecycle state; only an active device is appraised
 */
public record DeviceView(String deviceId, String tenantId, String hwModel, EcPublicKey key, DeviceState state) {

    /** RFC 7638 thumbprint of the current key. */
    public String keyThumbprint() {
        return key.thumbprint();
    }
}
