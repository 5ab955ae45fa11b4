package io.simanchor.attestation.domain;

import java.util.Optional;

/** The verifier's local view of every device. */
public interface DeviceViews {

    /** The device, if the view knows it. */
    Optional<DeviceView> find(String deviceId);
}
