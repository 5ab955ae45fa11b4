package io.simanchor.attestation.infra.messaging;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.domain.DeviceView;
import io.simanchor.attestation.domain.DeviceViews;
import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.messaging.TopicView;

/**
 * The verifier's view of every device, materialised from {@code simanchor.device-lifecycle} (compacted;
 * every event carries the device's whole snapshot, docs/events.md), so appraisal never calls
 * identity-service. Every instance reads the whole topic ({@link TopicView}). A suspension, revocation or
 * key rotation applies as soon as its event is read, typically well under a second after identity-service
 * committed it. The service reports ready only once the view has caught up.
 */
@ApplicationScoped
public class KafkaDeviceViews implements DeviceViews {

    private static final Logger LOG = Logger.getLogger(KafkaDeviceViews.class);
    private static final Set<String> SNAPSHOT_EVENTS = Set.of(DeviceEnrolledV1.TYPE, DeviceStateChangedV1.TYPE,
            DeviceKeyRotatedV1.TYPE);

    private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final ObjectReader snapshots;
    private final TopicView view;

    KafkaDeviceViews(ObjectMapper json, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            Clock clock) {
        this.json = json;
        // A tolerant reader (unlike the REST API): a field added to a later event version is ignored.
        this.snapshots = json.readerFor(DeviceSnapshotV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.view = new TopicView("attestation-service-device-view", bootstrapServers,
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE)), this::apply, clock);
    }

    @Override
    public Optional<DeviceView> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** Whether the view has read everything that was on the topic when the service started. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    /** How many devices the view holds. */
    public int size() {
        return devices.size();
    }

    void start(@Observes StartupEvent event) {
        view.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        view.close();
    }

    void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            devices.remove(record.key());
            return;
        }
        String type = TopicView.header(record, CloudEventHeaders.TYPE);
        if (type == null || !SNAPSHOT_EVENTS.contains(type)) {
            return;
        }
        try {
            toView(json.readTree(record.value()).get("device")).ifPresentOrElse(
                    view -> devices.put(view.deviceId(), view),
                    () -> skip(record, type, "incomplete snapshot"));
        } catch (IOException | CryptoInputException e) {
            skip(record, type, e.getClass().getSimpleName());
        }
    }

    private Optional<DeviceView> toView(JsonNode node) throws IOException {
        DeviceSnapshotV1 snapshot = node == null || !node.isObject()
                ? null
                : snapshots.<DeviceSnapshotV1>readValue(node);
        if (snapshot == null || snapshot.deviceId() == null || snapshot.publicKey() == null
                || snapshot.state() == null || snapshot.hwModel() == null) {
            return Optional.empty();
        }
        EcPublicJwkV1 jwk = snapshot.publicKey();
        EcPublicKey key = EcPublicKey.fromJwk(new EcPublicKey.Jwk(jwk.kty(), jwk.crv(), jwk.x(), jwk.y()));
        return Optional.of(new DeviceView(snapshot.deviceId(), snapshot.tenantId(), snapshot.hwModel(), key,
                snapshot.state()));
    }

    private static void skip(ConsumerRecord<String, String> record, String type, String cause) {
        // A record the view cannot read must not stop it; the device stays as it was (or unknown).
        LOG.warnf("Skipped an unreadable %s record [partition: %d, offset: %d, type: %s, cause: %s]",
                Topics.DEVICE_LIFECYCLE, record.partition(), record.offset(), type, cause);
    }
}
