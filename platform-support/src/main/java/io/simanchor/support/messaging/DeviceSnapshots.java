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
 * carries the device's whole snapshot (docs/events.md), so a view keeps the latest one per device; a
 * tombstone removes the device. A tolerant reader, unlike the REST APIs: fields added by a later event
 * version are ignored, and a record it cannot read is skipped and logged, because one bad record must not
 * stop a view every request depends on. What becomes of the device then depends on the view:
 * {@link #apply}, for views that authorise the device's key, forgets the device until a readable record
 * comes (a record of a type or a state a later producer added must not leave it ACTIVE with its old key);
 * {@link #applyFacts} leaves it as it was.
 */
public final class DeviceSnapshots {

    private static final Logger LOG = Logger.getLogger(DeviceSnapshots.class);
    private static final Set<String> SNAPSHOT_EVENTS = Set.of(DeviceEnrolledV1.TYPE, DeviceStateChangedV1.TYPE,
            DeviceKeyRotatedV1.TYPE);

    private final ObjectMapper json;
    private final ObjectReader snapshots;

    public DeviceSnapshots(ObjectMapper json) {
        this.json = json;
        this.snapshots = json.readerFor(DeviceSnapshotV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Applies one record: {@code upsert} with the snapshot and its decoded enrolled key, {@code remove} with
     * the device id for a tombstone, {@code forget} with the record's key for a record that cannot be read,
     * of whatever type: every event on the topic carries the device's snapshot (docs/events.md), so one the
     * view cannot read leaves it not knowing the device's state or key.
     */
    public void apply(ConsumerRecord<String, String> record, BiConsumer<DeviceSnapshotV1, EcPublicKey> upsert,
            Consumer<String> remove, Consumer<String> forget) {
        read(record, remove, forget).ifPresent(snapshot -> {
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
    public void applyFacts(ConsumerRecord<String, String> record, Consumer<DeviceSnapshotV1> upsert,
            Consumer<String> remove) {
        read(record, remove, unreadable -> {
        }).ifPresent(upsert);
    }

    /**
     * The snapshot of a lifecycle record, if it is one; a tombstone goes to {@code remove}, the key of a
     * snapshot record that cannot be read to {@code unreadable}.
     */
    private Optional<DeviceSnapshotV1> read(ConsumerRecord<String, String> record, Consumer<String> remove,
            Consumer<String> unreadable) {
        if (record.key() == null) {
            return Optional.empty();
        }
        if (record.value() == null) {
            remove.accept(record.key());
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
