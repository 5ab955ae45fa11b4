package io.simanchor.identity.domain;

import java.time.Clock;
import java.util.Map;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.problem.ProblemType;

/** Raises security events for refusals that may be attacks, with the problem's code as reason code. */
public final class SecurityAlerts {

    private static final String SERVICE = "identity-service";

    private final SecurityEvents events;
    private final Clock clock;

    public SecurityAlerts(SecurityEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Raises an event with {@code reasonCode}. */
    public void raise(String reasonCode, String tenantId, String deviceId, String subject,
            Map<String, String> details) {
        events.raise(new SecurityEventV1(reasonCode, SERVICE, tenantId, deviceId, subject, details, clock.instant()));
    }

    /** Raises an event for {@code type} and returns the exception to throw. */
    public ProblemException refuse(ProblemType type, String tenantId, String deviceId, String subject, String detail) {
        raise(type.code(), tenantId, deviceId, subject, Map.of());
        return new ProblemException(type, detail);
    }
}
