package io.simanchor.token.infra.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the device view has read the lifecycle and recent attestation results. */
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
