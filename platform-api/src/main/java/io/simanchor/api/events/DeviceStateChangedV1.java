package io.simanchor.api.events;

import java.time.Instant;

/**
 * An operator suspended, resumed or revoked a device. Topic {@link Topics#DEVICE_LIFECYCLE}, key =
 * device id. Consumers MUST stop serving a device whose {@code device.state} is not active within 5 s.
 *
 * @param device the device after the change
 * @param previousState the state before the change
 * @param reason the operator's reason, free text, may be empty
 * @param actor who made the change (the operator's principal name)
 * @param occurredAt when the change was committed
 */
public record DeviceStateChangedV1(
        DeviceSnapshotV1 device,
        DeviceState previousState,
        String reason,
        String actor,
        Instant occurredAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.device.state-changed.v1";
}
