package io.simanchor.mud.domain;

import java.time.Instant;

import io.simanchor.api.events.DeviceState;

/**
 * What the MUD manager knows of a device from the platform's events: its model and state from the
 * lifecycle, and its latest appraisal when that appraisal was of the device's current key.
 *
 * @param attestation the latest appraisal of the current key, or null when there is none
 */
public record DeviceFacts(String deviceId, String tenantId, String manufacturer, String hwModel,
        String keyThumbprint, DeviceState state, Attestation attestation) {

    /** An appraisal outcome: {@code status} is the EAR's {@code ear.status}. */
    public record Attestation(String status, String policyId, String keyThumbprint, Instant appraisedAt) {
    }

    /** The model this device's MUD file is kept under. */
    public ModelKey model() {
        return new ModelKey(manufacturer, hwModel);
    }

    /** These facts with {@code latest} as the device's appraisal. */
    public DeviceFacts withAttestation(Attestation latest) {
        return new DeviceFacts(deviceId, tenantId, manufacturer, hwModel, keyThumbprint, state, latest);
    }
}
