package io.simanchor.support.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.simanchor.api.events.SecurityEventV1;

/**
 * Reports the records a view refused as forged or unreadable (docs/security.md) as security events, without
 * letting a flood of them turn into a flood of events: within each minute the first {@code perMinute}
 * refusals are reported one by one, the rest are counted and reported as one {@value #SUMMARY} event once the
 * minute is over, at the view's next poll ({@link #rollOver}). Only the view's reader thread calls it.
 */
public final class RejectedRecords {

    /** The reason code of the event that counts the refusals not reported one by one. */
    public static final String SUMMARY = "RECORDS_REJECTED";

    private static final Logger LOG = Logger.getLogger(RejectedRecords.class);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final String service;
    private final Consumer<SecurityEventV1> events;
    private final int perMinute;
    private final Clock clock;
    private Instant windowStart;
    private int reported;
    private long unreported;
    private String lastUnreportedReason;

    /**
     * @param service the refusing service, as security events name it
     * @param events where the security events go (durably, without failing)
     * @param perMinute how many refusals a minute are reported one by one
     */
    public RejectedRecords(String service, Consumer<SecurityEventV1> events, int perMinute, Clock clock) {
        this.service = service;
        this.events = events;
        this.perMinute = perMinute;
        this.clock = clock;
        this.windowStart = clock.instant();
    }

    /** Reports that {@code record} was refused for {@code reasonCode}. */
    public void reject(ConsumerRecord<?, ?> record, String reasonCode) {
        Instant now = clock.instant();
        rollOver(now);
        // Never the value: it came from whoever wrote the record. Where it sat is enough to find it.
        LOG.warnf("Refused a %s record [partition: %d, offset: %d, reason: %s]", record.topic(), record.partition(),
                record.offset(), reasonCode);
        if (reported < perMinute) {
            reported++;
            events.accept(
                    new SecurityEventV1(reasonCode, service, null, record.key() instanceof String key ? key : null,
                            record.topic() + "/" + record.partition() + "/" + record.offset(),
                            Map.of("topic", record.topic(), "partition", Integer.toString(record.partition()), "offset",
                                    Long.toString(record.offset())),
                            now));
        } else {
            unreported++;
            lastUnreportedReason = reasonCode;
        }
    }

    /** Reports the last minute's count of unreported refusals once it has ended; call for every record. */
    public void rollOver() {
        rollOver(clock.instant());
    }

    private void rollOver(Instant now) {
        if (now.isBefore(windowStart.plus(WINDOW))) {
            return;
        }
        if (unreported > 0) {
            events.accept(new SecurityEventV1(SUMMARY, service, null, null, "records refused since " + windowStart,
                    Map.of("count", Long.toString(unreported), "lastReason", lastUnreportedReason, "since",
                            windowStart.toString()),
                    now));
        }
        windowStart = now;
        reported = 0;
        unreported = 0;
    }
}
