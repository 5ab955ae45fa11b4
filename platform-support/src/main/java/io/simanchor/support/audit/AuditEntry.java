package io.simanchor.support.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a service's append-only audit log: who did what to which subject.
 *
 * @param at when
 * @param actor principal name of the operator, or {@code device:<id>} for device-initiated changes
 * @param action what, e.g. {@code device.suspended}
 * @param tenantId tenant concerned, if any
 * @param subject what it was done to (device id, ICCID, vendor key id, model and version)
 * @param details non-secret extra facts
 */
public record AuditEntry(Instant at, String actor, String action, String tenantId, String subject,
        Map<String, String> details) {
}
