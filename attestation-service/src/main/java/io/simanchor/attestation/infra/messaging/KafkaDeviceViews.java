package io.simanchor.attestation.infra.messaging;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.domain.DeviceView;
import io.simanchor.attestation.domain.DeviceViews;
import io.simanchor.attestation.domain.SecurityEvents;
import io.simanchor.support.messaging.Checked;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.SignedRecordsConfig;
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

    private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();
    private final DeviceSnapshots snapshots;
    private final TopicView view;

    KafkaDeviceViews(ObjectMapper json, KafkaConnection kafka,
            SignedRecordsConfig records, SecurityEvents securityEvents, Clock clock) {
        // Only records identity-service signed change the view (docs/security.md).
        this.snapshots = records.lifecycleReader("attestation-service", json, securityEvents::raise, clock);
        this.view = new TopicView("attestation-service-device-view", kafka,
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE)),
                TopicView.RecordHandler.of(snapshots::prepare, snapshots::check, this::apply), clock);
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

    private void apply(ConsumerRecord<String, String> record, Checked<DeviceSnapshots.Snapshot> checked) {
        snapshots.apply(record, checked, (snapshot, key) -> devices.put(snapshot.deviceId(), new DeviceView(
                snapshot.deviceId(), snapshot.tenantId(), snapshot.hwModel(), key, snapshot.state())),
                devices::remove);
    }
}
