package io.simanchor.attestation.infra.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the device view has caught up: before that, evidence of an enrolled device would be
 * refused as unknown, so a load balancer must not send any.
 */
@Readiness
@ApplicationScoped
public class DeviceViewReadiness implements HealthCheck {

    private final KafkaDeviceViews views;

    DeviceViewReadiness(KafkaDeviceViews views) {
        this.views = views;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("device-view")
                .status(views.caughtUp())
                .withData("devices", views.size())
                .build();
    }
}
