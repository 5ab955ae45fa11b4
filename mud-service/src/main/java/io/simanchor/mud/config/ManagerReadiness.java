package io.simanchor.mud.config;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.simanchor.mud.domain.PolicyManager;

/** Not ready until the MUD manager has read the device facts and published what they lead to. */
@Readiness
@ApplicationScoped
public class ManagerReadiness implements HealthCheck {

    private final ServiceLifecycle lifecycle;
    private final PolicyManager manager;

    ManagerReadiness(ServiceLifecycle lifecycle, PolicyManager manager) {
        this.lifecycle = lifecycle;
        this.manager = manager;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mud-manager")
                .status(lifecycle.settled())
                .withData("devices", manager.deviceCount())
                .build();
    }
}
