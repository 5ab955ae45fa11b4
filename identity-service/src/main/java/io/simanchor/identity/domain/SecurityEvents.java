package io.simanchor.identity.domain;

import io.simanchor.api.events.SecurityEventV1;

/** Publishes refusals that may be attacks to {@code simanchor.security-events} (GSMA CLP.13 6.13). */
public interface SecurityEvents {

    /** Queues the event durably; never throws on a messaging outage. */
    void raise(SecurityEventV1 event);
}
