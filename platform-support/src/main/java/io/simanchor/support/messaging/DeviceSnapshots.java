package io.simanchor.support.messaging;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * Reads {@code simanchor.device-lifecycle} records for a service's device view. Every lifecycle event
 * carries the device's whole snapshot (docs/events.md), so a view keeps the latest one per device.
 *
 * <p>
 * A record must first prove that identity-service wrote it (docs/security.md): one without a valid
 * signature by a key identity-service publishes ({@link RecordVerifier}), a tombstone (identity-service
 * never writes one; it would drop the device from the view and, after compaction, from the topic), or a
 * signed snapshot filed under another device's key is refused, reported as a security event
 * ({@link RejectedRecords}) and changes nothing: the device stays as its last genuine record left it.
 *
 * <p>
 * A signed record is read tolerantly, unlike the REST APIs: fields added by a later event version are
 * ignored, and a record it cannot read is skipped and logged, because one bad record must not stop a view
 * every request depends on. What becomes of the device then depends on the view:
 * {@link #apply}, for views that authorise the device's key, forgets the device until a readable record
 * comes (a record of a type or a state a later producer added must not leave it ACTIVE with its old key);
 * {@link #applyFacts} leaves it as it was.
 */
public final class DeviceSnapshots {

    private static final Logger LOG = Logger.getLogger(DeviceSnapshots.class);
    /** The reason code for a signed snapshot under a record key other than its device id. */
    public static final String KEY_MISMATCH = "RECORD_KEY_MISMATCH";
    private static final Set<String> SNAPSHOT_EVENTS = Set.of(DeviceEnrolledV1.TYPE, DeviceStateChangedV1.TYPE,
            DeviceKeyRotatedV1.TYPE);

    private final ObjectMapper json;
    private final ObjectReader snapshots;
    private final RecordVerifier signatures;
    private final RejectedRecords rejected;

    public DeviceSnapshots(ObjectMapper json, RecordVerifier signatures, RejectedRecords rejected) {
        this.json = json;
        this.signatures = signatures;
        this.rejected = rejected;
        this.snapshots = json.readerFor(DeviceSnapshotV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Applies one record: {@code upsert} with the snapshot and its decoded enrolled key, {@code forget} with
     * the record's key for a signed record that cannot be read, of whatever type: every event on the topic
     * carries the device's snapshot (docs/events.md), so one the view cannot read leaves it not knowing the
     * device's state or key.
     */
    public void apply(ConsumerRecord<String, String> record, BiConsumer<DeviceSnapshotV1, EcPublicKey> upsert,
            Consumer<String> forget) {
        read(record, forget).ifPresent(snapshot -> {
            EcPublicJwkV1 jwk = snapshot.publicKey();
            try {
                upsert.accept(snapshot,
                        EcPublicKey.fromJwk(new EcPublicKey.Jwk(jwk.kty(), jwk.crv(), jwk.x(), jwk.y())));
            } catch (CryptoInputException e) {
                skip(record, TopicView.header(record, CloudEventHeaders.TYPE), e.getClass().getSimpleName(), forget);
            }
        });
    }

    /**
     * Applies one record like {@link #apply}, for a view that needs the device's facts but not its key
     * (the snapshot carries the key's thumbprint): decoding and checking the point is most of the cost of
     * reading a large lifecycle topic.
     */
    public void applyFacts(ConsumerRecord<String, String> record, Consumer<DeviceSnapshotV1> upsert) {
        read(record, unreadable -> {
        }).ifPresent(upsert);
    }

    /**
     * The snapshot of a signed lifecycle record, if it is one; the key of a signed record that cannot be read
     * goes to {@code unreadable}. A record without a valid signature is refused and reported.
     */
    private Optional<DeviceSnapshotV1> read(ConsumerRecord<String, String> record, Consumer<String> unreadable) {
        rejected.rollOver();
        RecordVerifier.Verdict verdict = signatures.verify(record);
        if (verdict != RecordVerifier.Verdict.SIGNED) {
            rejected.reject(record, verdict.reasonCode());
            return Optional.empty();
        }
        if (record.key() == null) {
            rejected.reject(record, KEY_MISMATCH);
            return Optional.empty();
        }
        String type = TopicView.header(record, CloudEventHeaders.TYPE);
        if (type == null || !SNAPSHOT_EVENTS.contains(type)) {
            skip(record, type, "unknown type", unreadable);
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(record.value()).get("device");
            DeviceSnapshotV1 snapshot = node == null || !node.isObject()
                    ? null
                    : snapshots.<DeviceSnapshotV1>readValue(node);
            if (snapshot == null || snapshot.deviceId() == null || snapshot.publicKey() == null
                    || snapshot.state() == null || snapshot.hwModel() == null) {
                skip(record, type, "incomplete snapshot", unreadable);
                return Optional.empty();
            }
            if (!snapshot.deviceId().equals(record.key())) {
                // Signed, but filed under another device: a genuine record copied to move a device back in
                // its history, or to shadow another device on the compacted topic.
                rejected.reject(record, KEY_MISMATCH);
                return Optional.empty();
            }
            return Optional.of(snapshot);
        } catch (IOException e) {
            skip(record, type, e.getClass().getSimpleName(), unreadable);
            return Optional.empty();
        }
    }

    /** Logs a record the view cannot read and hands its key to {@code unreadable}. */
    private static void skip(ConsumerRecord<String, String> record, String type, String cause,
            Consumer<String> unreadable) {
        LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, type: %s, cause: %s]",
                Topics.DEVICE_LIFECYCLE, record.partition(), record.offset(), type, cause);
        unreadable.accept(record.key());
    }
}
