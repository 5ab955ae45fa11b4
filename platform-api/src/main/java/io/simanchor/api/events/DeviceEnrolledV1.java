package io.simanchor.api.events;

import java.time.Instant;

/**
 * A device proved possession of its SIM key and received its certificate. Topic
 * {@link Topics#DEVICE_LIFECYCLE}, key = device id.
 *
 * @param device the device as enrolled (state {@link DeviceState#ACTIVE})
 * @param occurredAt when the enrollment was committed
 */
public record DeviceEnrolledV1(DeviceSnapshotV1 device, Instant occurredAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.device.enrolled.v1";
}
