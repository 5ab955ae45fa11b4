package io.simanchor.mud.infra.messaging;

import java.time.Clock;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.simanchor.api.events.Topics;
import io.simanchor.mud.domain.DeviceFacts;
import io.simanchor.mud.domain.PolicyManager;
import io.simanchor.support.messaging.AttestationResults;
import io.simanchor.support.messaging.Checked;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.TopicView;

/**
 * Feeds the MUD manager from Kafka: device snapshots from {@code simanchor.device-lifecycle} and appraisals
 * from {@code simanchor.attestation-results}, both whole (compacted topics: the latest record per device is
 * its state, however old).
 */
public final class KafkaDeviceFacts implements AutoCloseable {

    private final PolicyManager manager;
    private final DeviceSnapshots snapshots;
    private final AttestationResults results;
    private final TopicView view;

    /**
     * @param snapshots the reader of lifecycle records, which refuses those identity-service did not sign
     * @param results the reader of attestation results, which takes each verdict from its verified EAR
     */
    public KafkaDeviceFacts(PolicyManager manager, DeviceSnapshots snapshots, AttestationResults results,
            KafkaConnection kafka, Clock clock) {
        this.manager = manager;
        this.snapshots = snapshots;
        this.results = results;
        this.view = new TopicView("mud-service-device-facts", kafka,
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE),
                        TopicView.Subscription.fromBeginning(Topics.ATTESTATION_RESULTS)),
                TopicView.RecordHandler.of(() -> {
                    snapshots.prepare();
                    results.prepare();
                }, this::check, this::apply), clock);
    }

    public void start() {
        view.start();
    }

    /** Whether everything that was on the topics at start has been read. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    @Override
    public void close() throws InterruptedException {
        view.close();
    }

    private Checked<?> check(ConsumerRecord<String, String> record) {
        return Topics.ATTESTATION_RESULTS.equals(record.topic())
                ? results.check(record)
                : snapshots.checkFacts(record);
    }

    private void apply(ConsumerRecord<String, String> record, Checked<?> checked) {
        if (Topics.ATTESTATION_RESULTS.equals(record.topic())) {
            // The verdict of the verified EAR the record carries, never the record's own fields (docs/security.md).
            results.apply(record, checked, result -> manager.appraised(result.deviceId(),
                    new DeviceFacts.Attestation(result.status().claimValue(), result.policyId(), result.keyThumbprint(),
                            result.appraisedAt())));
            return;
        }
        snapshots.applyFacts(record, checked, snapshot -> manager.deviceChanged(new DeviceFacts(snapshot.deviceId(),
                snapshot.tenantId(), snapshot.manufacturer(), snapshot.hwModel(), snapshot.keyThumbprint(),
                snapshot.state(), null)));
    }
}
