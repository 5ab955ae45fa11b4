package io.simanchor.support.messaging;

import java.io.IOException;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.Topics;

/**
 * Reads {@code simanchor.attestation-results} records for a relying party's device view (token-service,
 * mud-service). A tolerant reader like {@link DeviceSnapshots}: fields a later version adds are ignored,
 * and a record it cannot read is skipped and logged rather than stopping the view.
 */
public final class AttestationResults {

    private static final Logger LOG = Logger.getLogger(AttestationResults.class);

    private final ObjectReader results;

    public AttestationResults(ObjectMapper json) {
        this.results = json.readerFor(AttestationResultV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The appraisal in {@code record}: empty for a record of another type or without a key or value, and for
     * one that cannot be read or lacks the device, the status or the appraisal time (logged).
     */
    public Optional<AttestationResultV1> read(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null
                || !AttestationResultV1.TYPE.equals(TopicView.header(record, CloudEventHeaders.TYPE))) {
            return Optional.empty();
        }
        AttestationResultV1 result;
        try {
            result = results.readValue(record.value());
        } catch (IOException e) {
            skip(record, e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (result.deviceId() == null || result.appraisedAt() == null || result.status() == null
                || result.status().isBlank()) {
            skip(record, "incomplete result");
            return Optional.empty();
        }
        return Optional.of(result);
    }

    /** Logs a record the view leaves out. */
    public static void skip(ConsumerRecord<String, String> record, String cause) {
        LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, cause: %s]",
                Topics.ATTESTATION_RESULTS, record.partition(), record.offset(), cause);
    }
}
