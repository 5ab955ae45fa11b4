package io.simanchor.token.infra.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.messaging.AttestationResults;
import io.simanchor.support.messaging.Checked;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.TopicView;
import io.simanchor.token.domain.DeviceView;
import io.simanchor.token.domain.DeviceViews;

/**
 * token-service's view of every device: key and state from {@code simanchor.device-lifecycle} (the whole
 * compacted topic), and the latest appraisal from {@code simanchor.attestation-results} — only its last
 * {@code ear.max-age}, because an older appraisal can never supersede an EAR the service would accept.
 * Suspensions, revocations and key rotations apply as soon as their event is read.
 */
public final class KafkaDeviceViews implements DeviceViews, AutoCloseable {

    private record Device(String deviceId, EcPublicKey key, DeviceState state) {
    }

    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, DeviceView.Appraisal> appraisals = new ConcurrentHashMap<>();
    private final DeviceSnapshots snapshots;
    private final AttestationResults results;
    private final TopicView view;

    /**
     * @param snapshots the reader of lifecycle records, which refuses those identity-service did not sign
     * @param results the reader of attestation results, which takes each verdict from its verified EAR
     */
    public KafkaDeviceViews(DeviceSnapshots snapshots, AttestationResults results, KafkaConnection kafka,
            Duration maxEarAge, Clock clock) {
        this.snapshots = snapshots;
        this.results = results;
        this.view = new TopicView("token-service-device-view", kafka,
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE),
                        TopicView.Subscription.lastWindow(Topics.ATTESTATION_RESULTS, maxEarAge)),
                TopicView.RecordHandler.of(() -> {
                    snapshots.prepare();
                    results.prepare();
                }, this::check, this::apply), clock);
    }

    public void start() {
        view.start();
    }

    @Override
    public void close() throws InterruptedException {
        view.close();
    }

    @Override
    public Optional<DeviceView> find(String deviceId) {
        Device device = devices.get(deviceId);
        return device == null
                ? Optional.empty()
                : Optional.of(new DeviceView(device.deviceId(), device.key(), device.state(),
                        Optional.ofNullable(appraisals.get(deviceId))));
    }

    /** Whether the view has read everything that was on its topics when the service started. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    /** How many devices the view holds. */
    public int size() {
        return devices.size();
    }

    /** Checks and applies one record on the calling thread (tests feed the view by hand). */
    void apply(ConsumerRecord<String, String> record) {
        apply(record, check(record));
    }

    private Checked<?> check(ConsumerRecord<String, String> record) {
        return Topics.ATTESTATION_RESULTS.equals(record.topic()) ? results.check(record) : snapshots.check(record);
    }

    private void apply(ConsumerRecord<String, String> record, Checked<?> checked) {
        if (Topics.ATTESTATION_RESULTS.equals(record.topic())) {
            results.apply(record, checked, result -> {
                DeviceView.Appraisal appraisal = new DeviceView.Appraisal(result.status(), result.appraisedAt());
                // Records of one device share a partition and arrive in order; keep the newest regardless.
                appraisals.merge(result.deviceId(), appraisal,
                        (known, latest) -> latest.appraisedAt().isBefore(known.appraisedAt()) ? known : latest);
            });
            return;
        }
        // A record the view cannot read forgets the device, not its latest appraisal: a contraindicated one
        // must still supersede older EARs once the device is readable again.
        snapshots.apply(record, checked, (snapshot, key) -> devices.put(snapshot.deviceId(),
                new Device(snapshot.deviceId(), key, snapshot.state())), devices::remove);
    }
}
