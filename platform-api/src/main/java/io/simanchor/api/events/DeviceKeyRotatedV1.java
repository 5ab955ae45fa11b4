package io.simanchor.api.events;

import java.time.Instant;

/**
 * A device replaced its SIM key, proven by signatures of both the old and the new key. Topic
 * {@link Topics#DEVICE_LIFECYCLE}, key = device id. Consumers MUST stop accepting the previous key.
 *
 * @param device the device with its new key and certificate
 * @param previousKeyThumbprint RFC 7638 thumbprint of the retired key
 * @param occurredAt when the rotation was committed
 */
public record DeviceKeyRotatedV1(DeviceSnapshotV1 device, String previousKeyThumbprint, Instant occurredAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.device.key-rotated.v1";
}
