package io.simanchor.support.ratelimit;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.events.SecurityEventSink;

/**
 * Turns a period's rate-limit refusals into one {@code RATE_LIMITED} security event (GSMA CLP.13 6.13: a
 * flood is reported, and cannot fill the outbox or crowd out other events), and forgets idle clients.
 */
public final class RateLimitReport {

    /** The reason code of the summary event. */
    public static final String REASON = "RATE_LIMITED";

    private final RequestRateLimits limits;
    private final SecurityEventSink events;
    private final String service;
    private final Clock clock;

    public RateLimitReport(RequestRateLimits limits, SecurityEventSink events, String service, Clock clock) {
        this.limits = limits;
        this.events = events;
        this.service = service;
        this.clock = clock;
    }

    /** Raises the summary of the refusals since the last run, if there were any. */
    public void run() {
        limits.drainRefusals().ifPresent(summary -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("refused", Long.toString(summary.total()));
            summary.byScope().forEach((scope, count) -> details.put(scope.name(), Long.toString(count)));
            summary.top().forEach((key, count) -> details.put("top." + key, Long.toString(count)));
            events.raise(new SecurityEventV1(REASON, service, null, null, "rate-limits", details, clock.instant()));
        });
        limits.forgetIdle();
    }
}
