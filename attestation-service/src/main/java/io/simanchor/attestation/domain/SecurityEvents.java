package io.simanchor.attestation.domain;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.events.SecurityEventSink;

/** Publishes refusals to {@code simanchor.security-events} (GSMA CLP.13 6.13). */
public interface SecurityEvents extends SecurityEventSink {

    /** Queues the event durably; never throws on a messaging outage. */
    @Override
    void raise(SecurityEventV1 event);
}
