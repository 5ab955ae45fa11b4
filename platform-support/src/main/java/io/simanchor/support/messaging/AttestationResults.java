package io.simanchor.support.messaging;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.ear.SignedEar;

/**
 * Reads {@code simanchor.attestation-results} records for a relying party's device view (token-service,
 * mud-service). The verdict is taken from the signed EAR the record carries, verified with the keys the
 * attestation verifier publishes, never from the record's own fields (docs/security.md): a record without an
 * EAR, with one that does not verify, or whose EAR is about another device than the record's key, changes
 * nothing and is reported as a security event ({@link RejectedRecords}). A tolerant reader otherwise: fields
 * a later version adds are ignored, and a record it cannot read is skipped and logged.
 */
public final class AttestationResults {

    /** The reason code for a result without an EAR. */
    public static final String EAR_MISSING = "RECORD_EAR_MISSING";
    /** The reason code for a result whose EAR does not verify with a published verifier key. */
    public static final String EAR_INVALID = "RECORD_EAR_INVALID";

    private static final Logger LOG = Logger.getLogger(AttestationResults.class);

    private final ObjectReader results;
    private final PublishedKeys verifierKeys;
    private final RejectedRecords rejected;

    /**
     * @param verifierKeys the attestation verifier's published EAR keys; the reader waits for them before
     *        its first record, and reads them again for a {@code kid} it does not know
     */
    public AttestationResults(ObjectMapper json, PublishedKeys verifierKeys, RejectedRecords rejected) {
        this.results = json.readerFor(AttestationResultV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.verifierKeys = verifierKeys;
        this.rejected = rejected;
    }

    /**
     * What a verified EAR says of a device's appraisal.
     *
     * @param deviceId the appraised device ({@code sub}, the record's key)
     * @param status {@code ear.status}
     * @param policyId {@code ear.appraisal-policy-id}
     * @param keyThumbprint {@code cnf.jkt}: the device key the evidence was signed with
     * @param appraisedAt {@code iat}
     * @param expiresAt {@code exp}
     */
    public record Appraisal(String deviceId, ArStatus status, String policyId, String keyThumbprint,
            Instant appraisedAt, Instant expiresAt) {
    }

    /**
     * The appraisal in {@code record}: empty for a record of another type or without a key, for a record
     * that cannot be read (logged), and for one whose EAR cannot be relied on (reported).
     */
    public Optional<Appraisal> read(ConsumerRecord<String, String> record) {
        rejected.rollOver();
        if (record.key() == null
                || !AttestationResultV1.TYPE.equals(TopicView.header(record, CloudEventHeaders.TYPE))) {
            return Optional.empty();
        }
        if (record.value() == null) {
            // attestation-service never writes a tombstone; on a compacted topic it would erase the verdict.
            rejected.reject(record, RecordVerifier.Verdict.UNSIGNED.reasonCode());
            return Optional.empty();
        }
        AttestationResultV1 result;
        try {
            result = results.readValue(record.value());
        } catch (IOException e) {
            skip(record, e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (result.ear() == null || result.ear().isBlank()) {
            rejected.reject(record, EAR_MISSING);
            return Optional.empty();
        }
        SignedEar ear;
        try {
            awaitKeys();
            ear = SignedEar.verify(result.ear(), verifierKeys::findOrRefresh);
        } catch (SignedEar.Refused e) {
            rejected.reject(record, EAR_INVALID);
            return Optional.empty();
        }
        if (!record.key().equals(ear.subject()) || ear.keyThumbprint() == null) {
            rejected.reject(record, DeviceSnapshots.KEY_MISMATCH);
            return Optional.empty();
        }
        return Optional.of(new Appraisal(ear.subject(), ear.status(), ear.policyId(), ear.keyThumbprint(),
                ear.issuedAt(), ear.expiresAt()));
    }

    private void awaitKeys() {
        try {
            verifierKeys.awaitFirstAnswer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the verifier's keys", e);
        }
    }

    /** Logs a record the view leaves out. */
    private static void skip(ConsumerRecord<String, String> record, String cause) {
        LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, cause: %s]",
                Topics.ATTESTATION_RESULTS, record.partition(), record.offset(), cause);
    }
}
