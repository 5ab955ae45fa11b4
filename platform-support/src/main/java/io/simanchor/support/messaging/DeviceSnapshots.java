package io.simanchor.support.messaging;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceSnapshotV1;
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
 *
 * <p>
 * Reading is split as {@link TopicView.RecordHandler} wants it: {@link #check} and {@link #checkFacts} verify
 * and parse without side effects, on any thread; {@link #apply} and {@link #applyFacts} act on the result on
 * the view's reader thread.
 *
 * <p>
 * A signature proves who wrote a record, not that it is the latest: a genuine record written to the topic
 * again (with the broker's administrator credentials, say) would move a device back in its history. Each
 * snapshot carries the device's revision, and a record older than one already applied is refused as
 * {@link #REPLAYED}.
 */
public final class DeviceSnapshots {

    /** The reason code for a signed snapshot under a record key other than its device id. */
    public static final String KEY_MISMATCH = "RECORD_KEY_MISMATCH";
    /**
     * The reason code for a genuine record older than one the view has applied for the same device: written to
     * the topic again, it would move the device back in its history (a revoked device back to active).
     */
    public static final String REPLAYED = "RECORD_REPLAYED";

    private static final Logger LOG = Logger.getLogger(DeviceSnapshots.class);

    /**
     * A lifecycle record's snapshot.
     *
     * @param device the device's whole state
     * @param key its enrolled key, decoded and checked; null when read by {@link #checkFacts}
     */
    public record Snapshot(DeviceSnapshotV1 device, EcPublicKey key) {
    }

    private final ObjectMapper json;
    private final ObjectReader snapshots;
    private final RecordVerifier signatures;
    private final RejectedRecords rejected;
    /** The highest revision applied per device; read and written on the view's reader thread only. */
    private final Map<String, Long> revisions = new HashMap<>();

    public DeviceSnapshots(ObjectMapper json, RecordVerifier signatures, RejectedRecords rejected) {
        this.json = json;
        this.snapshots = json.readerFor(DeviceSnapshotV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.signatures = signatures;
        this.rejected = rejected;
    }

    /**
     * On the reader thread before a poll's records are checked: the producer's keys known and fresh, and the
     * count of refused records reported once its minute is over ({@link RejectedRecords#rollOver}).
     */
    public void prepare() throws InterruptedException {
        signatures.prepare();
        rejected.rollOver();
    }

    /** The signature, the snapshot and its decoded key; no side effects, any thread. */
    public Checked<Snapshot> check(ConsumerRecord<String, String> record) {
        Checked<Snapshot> read = checkFacts(record);
        if (!(read instanceof Checked.Accepted<Snapshot> accepted)) {
            return read;
        }
        EcPublicJwkV1 jwk = accepted.value().device().publicKey();
        try {
            return new Checked.Accepted<>(new Snapshot(accepted.value().device(),
                    EcPublicKey.fromJwk(new EcPublicKey.Jwk(jwk.kty(), jwk.crv(), jwk.x(), jwk.y()))));
        } catch (CryptoInputException e) {
            return new Checked.Unreadable<>(TopicView.header(record, CloudEventHeaders.TYPE),
                    e.getClass().getSimpleName());
        }
    }

    /**
     * The signature and the snapshot, without decoding the key (the snapshot carries its thumbprint): for a
     * view that needs the device's facts but not its key, since checking the point costs a large share of
     * reading the topic. No side effects, any thread.
     */
    public Checked<Snapshot> checkFacts(ConsumerRecord<String, String> record) {
        RecordVerifier.Verdict verdict = signatures.verify(record);
        if (verdict != RecordVerifier.Verdict.SIGNED) {
            return new Checked.Refused<>(verdict.reasonCode());
        }
        if (record.key() == null) {
            return new Checked.Refused<>(KEY_MISMATCH);
        }
        // The type header is not signed, so it decides nothing: every event of the topic carries the device's
        // whole snapshot (docs/events.md), and a record's signed value is read as one whatever the header says.
        // A value without a complete snapshot (a later event version) is unreadable, and fails closed.
        String type = TopicView.header(record, CloudEventHeaders.TYPE);
        try {
            JsonNode node = json.readTree(record.value()).get("device");
            DeviceSnapshotV1 snapshot = node == null || !node.isObject()
                    ? null
                    : snapshots.<DeviceSnapshotV1>readValue(node);
            if (snapshot == null || snapshot.deviceId() == null || snapshot.publicKey() == null
                    || snapshot.state() == null || snapshot.hwModel() == null) {
                return new Checked.Unreadable<>(type, "incomplete snapshot");
            }
            if (!snapshot.deviceId().equals(record.key())) {
                // Signed, but filed under another device: a genuine record copied to move a device back in
                // its history, or to shadow another device on the compacted topic.
                return new Checked.Refused<>(KEY_MISMATCH);
            }
            return new Checked.Accepted<>(new Snapshot(snapshot, null));
        } catch (IOException e) {
            return new Checked.Unreadable<>(type, e.getClass().getSimpleName());
        }
    }

    /**
     * Applies one checked record ({@link #check}): {@code upsert} with the snapshot and its decoded enrolled
     * key, {@code forget} with the record's key for a signed record that cannot be read, of whatever type:
     * every event on the topic carries the device's snapshot (docs/events.md), so one the view cannot read
     * leaves it not knowing the device's state or key. A refused record is reported and changes nothing.
     */
    public void apply(ConsumerRecord<String, String> record, Checked<?> checked,
            BiConsumer<DeviceSnapshotV1, EcPublicKey> upsert, Consumer<String> forget) {
        act(record, checked, snapshot -> upsert.accept(snapshot.device(), snapshot.key()), forget);
    }

    /** {@link #check} then {@link #apply}, on the calling thread. */
    public void apply(ConsumerRecord<String, String> record, BiConsumer<DeviceSnapshotV1, EcPublicKey> upsert,
            Consumer<String> forget) {
        apply(record, check(record), upsert, forget);
    }

    /**
     * Applies one record checked by {@link #checkFacts} like {@link #apply}, for a view that keeps a device
     * as it was when a record for it cannot be read.
     */
    public void applyFacts(ConsumerRecord<String, String> record, Checked<?> checked,
            Consumer<DeviceSnapshotV1> upsert) {
        act(record, checked, snapshot -> upsert.accept(snapshot.device()), unreadable -> {
        });
    }

    /**
     * Whether the snapshot is older than one applied before: identity-service publishes a device's revisions in
     * order, on one partition, so a lower one can only be a copy. The same revision again (a redelivery) is
     * not refused; it carries the same state. A view keeps the revisions of the devices it forgot, too.
     */
    private boolean replayed(DeviceSnapshotV1 device) {
        Long applied = revisions.get(device.deviceId());
        if (applied != null && device.revision() < applied) {
            return true;
        }
        revisions.put(device.deviceId(), device.revision());
        return false;
    }

    /**
     * The revision a signed record the view cannot read still shows, if it shows one: a device forgotten over
     * it must not come back through a copy of an older record.
     */
    private void rememberRevisionOf(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try {
            JsonNode revision = json.readTree(record.value()).path("device").path("revision");
            if (revision.canConvertToLong()) {
                revisions.merge(record.key(), revision.asLong(), Math::max);
            }
        } catch (IOException e) {
            // Nothing to remember: the view keeps the revision it had.
        }
    }

    private void act(ConsumerRecord<String, String> record, Checked<?> checked, Consumer<Snapshot> accepted,
            Consumer<String> unreadable) {
        rejected.rollOver();
        if (checked instanceof Checked.Accepted<?> ok && ok.value() instanceof Snapshot snapshot) {
            if (replayed(snapshot.device())) {
                rejected.reject(record, REPLAYED);
                return;
            }
            accepted.accept(snapshot);
        } else if (checked instanceof Checked.Refused<?> refused) {
            rejected.reject(record, refused.reasonCode());
        } else if (checked instanceof Checked.Unreadable<?> bad) {
            LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, type: %s, cause: %s]",
                    Topics.DEVICE_LIFECYCLE, record.partition(), record.offset(), bad.type(), bad.cause());
            rememberRevisionOf(record);
            unreadable.accept(record.key());
        }
    }
}
