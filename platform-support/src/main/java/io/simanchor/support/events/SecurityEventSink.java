package io.simanchor.support.events;

import io.simanchor.api.events.SecurityEventV1;

/**
 * Where a service's security events go ({@code simanchor.security-events}, GSMA CLP.13 6.13). Each service's
 * own security-event port extends it, so shared parts (the rate limits' summaries) can raise events too.
 */
public interface SecurityEventSink {

    /** Queues the event durably; never throws on a messaging outage. */
    void raise(SecurityEventV1 event);
}
