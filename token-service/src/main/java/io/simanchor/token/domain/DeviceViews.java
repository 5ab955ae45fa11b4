package io.simanchor.token.domain;

import java.util.Optional;

/** The service-local view of every device; never a call to another service. */
public interface DeviceViews {

    Optional<DeviceView> find(String deviceId);
}
