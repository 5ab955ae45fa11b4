package io.simanchor.token.infra.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.token.domain.DeviceView;
import io.simanchor.token.testing.TestJws;

/** The view's records applied one by one, without a broker. */
class KafkaDeviceViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";

    // Never started: records are applied by hand.
    private final KafkaDeviceViews views = new KafkaDeviceViews(JSON, "127.0.0.1:9", Duration.ofHours(1),
            Clock.systemUTC());
    private final DeviceSnapshotV1 active = DeviceEvents.snapshot(DEVICE, "tracker-x1",
            EcPublicKey.of(TestJws.p256().getPublic()), DeviceState.ACTIVE);

    /**
     * A record the view cannot read (here a state a later producer added) forgets the device; its
     * contraindicated appraisal stays, so once the device is readable again its older affirming EARs are
     * still superseded. Before, the appraisal went with the device.
     */
    @Test
    void an_unreadable_record_forgets_the_device_and_keeps_its_latest_appraisal() throws Exception {
        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceEnrolledV1.TYPE,
                JSON.writeValueAsString(new DeviceEnrolledV1(active, Instant.now()))));
        views.apply(record(Topics.ATTESTATION_RESULTS, AttestationResultV1.TYPE,
                JSON.writeValueAsString(new AttestationResultV1(DEVICE, "default", "contraindicated",
                        Map.of("executables", 96), "simanchor/default/v1", "tracker-x1", "4.2.0",
                        List.of("MEASUREMENT_MISMATCH"), active.keyThumbprint(), Instant.now(),
                        Instant.now().plusSeconds(3600)))));
        String laterState = JSON.writeValueAsString(new DeviceStateChangedV1(active, DeviceState.ACTIVE, "r", "a",
                Instant.now())).replace("\"ACTIVE\"", "\"QUARANTINED\"");

        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceStateChangedV1.TYPE, laterState));

        assertThat(views.find(DEVICE)).isEmpty();

        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceEnrolledV1.TYPE,
                JSON.writeValueAsString(new DeviceEnrolledV1(active, Instant.now()))));

        assertThat(views.find(DEVICE)).map(DeviceView::latestAppraisal)
                .hasValueSatisfying(appraisal -> assertThat(appraisal)
                        .hasValueSatisfying(latest -> assertThat(latest.status()).isEqualTo(ArStatus.CONTRAINDICATED)));
    }

    @Test
    void a_record_of_a_type_the_view_does_not_know_forgets_the_device() throws Exception {
        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceEnrolledV1.TYPE,
                JSON.writeValueAsString(new DeviceEnrolledV1(active, Instant.now()))));

        views.apply(record(Topics.DEVICE_LIFECYCLE, "simanchor.device.state-changed.v2", "{}"));

        assertThat(views.find(DEVICE)).isEmpty();
    }

    private static ConsumerRecord<String, String> record(String topic, String type, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0, DEVICE, value);
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
