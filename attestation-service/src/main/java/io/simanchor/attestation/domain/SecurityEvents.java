package io.simanchor.attestation.domain;

import io.simanchor.api.events.SecurityEventV1;

/** Publishes refusals to {@code simanchor.security-events} (GSMA CLP.13 6.13). */
public interface SecurityEvents {

    /** Queues the event durably; never throws on a messaging outage. */
    void raise(SecurityEventV1 event);
}
