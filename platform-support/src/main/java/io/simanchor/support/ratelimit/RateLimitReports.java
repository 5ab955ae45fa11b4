package io.simanchor.support.ratelimit;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.support.events.SecurityEventSink;
import io.simanchor.support.runtime.PeriodicTask;

/**
 * Runs the {@link RateLimitReport} every {@link RateLimitConfig#reportInterval()} in a service that raises
 * security events (identity- and attestation-service); nothing in one that does not.
 */
@ApplicationScoped
public class RateLimitReports {

    private final RateLimitConfig config;
    private final Instance<RequestRateLimits> limits;
    private final Instance<SecurityEventSink> events;
    private final Clock clock;
    private final String service;
    private PeriodicTask task;

    RateLimitReports(RateLimitConfig config, Instance<RequestRateLimits> limits, Instance<SecurityEventSink> events,
            Clock clock, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.config = config;
        this.limits = limits;
        this.events = events;
        this.clock = clock;
        this.service = service;
    }

    void start(@Observes StartupEvent event) {
        if (events.isResolvable()) {
            RateLimitReport report = new RateLimitReport(limits.get(), events.get(), service, clock);
            task = PeriodicTask.start("rate-limit-report", config.reportInterval(), report::run);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.close();
        }
    }
}
