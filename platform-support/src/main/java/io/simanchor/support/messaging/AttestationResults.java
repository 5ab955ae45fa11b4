package io.simanchor.support.messaging;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.ear.SignedEar;

/**
 * Reads {@code simanchor.attestation-results} records for a relying party's device view (token-service,
 * mud-service). The verdict is taken from the signed EAR the record carries, verified with the keys the
 * attestation verifier publishes, never from the record's own fields (docs/security.md): a record without an
 * EAR, with one that does not verify, or whose EAR is about another device than the record's key, changes
 * nothing and is reported as a security event ({@link RejectedRecords}). A tolerant reader otherwise: fields
 * a later version adds are ignored, and a record it cannot read is skipped and logged. Split like
 * {@link DeviceSnapshots}: {@link #check} on any thread, {@link #apply} on the view's reader thread.
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
     * On the reader thread before a poll's records are checked: the verifier's keys known and fresh, and the
     * count of refused records reported once its minute is over.
     */
    public void prepare() throws InterruptedException {
        verifierKeys.awaitFirstAnswer();
        verifierKeys.refreshInBackgroundIfDue();
        rejected.rollOver();
    }

    /** The verified appraisal in {@code record}, or why there is none; no side effects, any thread. */
    public Checked<Appraisal> check(ConsumerRecord<String, String> record) {
        // The ce_type header is not signed, so it decides nothing: every record of the topic is an appraisal,
        // and one without a verifiable EAR is refused whatever the header says.
        if (record.key() == null) {
            return new Checked.Refused<>(DeviceSnapshots.KEY_MISMATCH);
        }
        if (record.value() == null) {
            // attestation-service never writes a tombstone; on a compacted topic it would erase the verdict.
            return new Checked.Refused<>(RecordVerifier.Verdict.UNSIGNED.reasonCode());
        }
        AttestationResultV1 result;
        try {
            result = results.readValue(record.value());
        } catch (IOException e) {
            return new Checked.Unreadable<>(AttestationResultV1.TYPE, e.getClass().getSimpleName());
        }
        if (result.ear() == null || result.ear().isBlank()) {
            return new Checked.Refused<>(EAR_MISSING);
        }
        SignedEar ear;
        try {
            ear = SignedEar.verify(result.ear(), verifierKeys::findOrRefresh);
        } catch (SignedEar.Refused e) {
            return new Checked.Refused<>(EAR_INVALID);
        }
        if (!record.key().equals(ear.subject()) || ear.keyThumbprint() == null) {
            return new Checked.Refused<>(DeviceSnapshots.KEY_MISMATCH);
        }
        return new Checked.Accepted<>(new Appraisal(ear.subject(), ear.status(), ear.policyId(), ear.keyThumbprint(),
                ear.issuedAt(), ear.expiresAt()));
    }

    /**
     * Acts on one checked record ({@link #check}) on the view's reader thread: an appraisal goes to
     * {@code appraised}, a refusal is reported as a security event, an unreadable record is logged.
     */
    public void apply(ConsumerRecord<String, String> record, Checked<?> checked, Consumer<Appraisal> appraised) {
        rejected.rollOver();
        if (checked instanceof Checked.Accepted<?> ok && ok.value() instanceof Appraisal appraisal) {
            appraised.accept(appraisal);
        } else if (checked instanceof Checked.Refused<?> refused) {
            rejected.reject(record, refused.reasonCode());
        } else if (checked instanceof Checked.Unreadable<?> bad) {
            LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, cause: %s]",
                    Topics.ATTESTATION_RESULTS, record.partition(), record.offset(), bad.cause());
        }
    }
}
