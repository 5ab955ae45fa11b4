package io.simanchor.api.events;

import java.time.Instant;
import java.util.Map;

/**
 * A security decision that refused something (GSMA CLP.13 6.13: every security decision logged).
 * Topic {@link Topics#SECURITY_EVENTS}, key = device id when known, otherwise the subject named in
 * {@code subject}.
 *
 * @param reasonCode stable, upper-snake-case code such as {@code KEY_REUSE_DETECTED}
 * @param service the service that refused
 * @param tenantId tenant, when known
 * @param deviceId device, when known
 * @param subject what was refused, pseudonymous (a challenge id, a key thumbprint), never a secret
 * @param details extra non-secret facts for investigators
 * @param occurredAt when the decision was made
 */
public record SecurityEventV1(
        String reasonCode,
        String service,
        String tenantId,
        String deviceId,
        String subject,
        Map<String, String> details,
        Instant occurredAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.security.rejected.v1";
}
