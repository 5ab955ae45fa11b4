package io.simanchor.token.infra.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.TestRecordKeys;
import io.simanchor.support.testing.TestRecordReaders;
import io.simanchor.support.testing.TestVerifierKeys;
import io.simanchor.token.domain.DeviceView;
import io.simanchor.token.testing.TestJws;

/** The view's records applied one by one, without a broker. */
class KafkaDeviceViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";

    // Never started: records are applied by hand.
    private final List<SecurityEventV1> securityEvents = new ArrayList<>();
    private final KafkaDeviceViews views = new KafkaDeviceViews(
            TestRecordReaders.lifecycle("token-service", securityEvents::add),
            TestRecordReaders.attestationResults("token-service", securityEvents::add),
            new KafkaConnection(Map.of("bootstrap.servers", "127.0.0.1:9")),
            Duration.ofHours(1), Clock.systemUTC());
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
                JSON.writeValueAsString(contraindicated(TestVerifierKeys.ear(DEVICE, "contraindicated",
                        active.keyThumbprint(), Instant.now(), Instant.now().plusSeconds(3600))))));
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

    @Test
    void a_lifecycle_record_identity_service_did_not_sign_changes_nothing_and_is_reported() throws Exception {
        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceEnrolledV1.TYPE,
                JSON.writeValueAsString(new DeviceEnrolledV1(active, Instant.now()))));
        DeviceSnapshotV1 attackersKey = DeviceEvents.snapshot(DEVICE, "tracker-x1",
                EcPublicKey.of(TestJws.p256().getPublic()), DeviceState.ACTIVE);

        views.apply(new ConsumerRecord<>(Topics.DEVICE_LIFECYCLE, 0, 1, DEVICE,
                JSON.writeValueAsString(new DeviceEnrolledV1(attackersKey, Instant.now()))));

        assertThat(views.find(DEVICE)).map(device -> device.key().thumbprint()).hasValue(active.keyThumbprint());
        assertThat(securityEvents).extracting(SecurityEventV1::reasonCode).containsExactly("RECORD_UNSIGNED");
    }

    /**
     * A worse appraisal supersedes older EARs, so a forged one could deny a device its tokens: only one whose
     * EAR the verifier signed counts. The verdict is the EAR's, whatever the record's own fields say.
     */
    @Test
    void an_appraisal_counts_only_with_an_ear_the_verifier_signed() throws Exception {
        views.apply(record(Topics.DEVICE_LIFECYCLE, DeviceEnrolledV1.TYPE,
                JSON.writeValueAsString(new DeviceEnrolledV1(active, Instant.now()))));
        Instant now = Instant.now();
        String forged = TestVerifierKeys.ear(new ECKeyGenerator(Curve.P_256).keyID("attacker").generate(), DEVICE,
                "contraindicated", active.keyThumbprint(), now, now.plusSeconds(3600));

        views.apply(record(Topics.ATTESTATION_RESULTS, AttestationResultV1.TYPE,
                JSON.writeValueAsString(contraindicated(null))));
        views.apply(record(Topics.ATTESTATION_RESULTS, AttestationResultV1.TYPE,
                JSON.writeValueAsString(contraindicated(forged))));

        assertThat(views.find(DEVICE)).map(DeviceView::latestAppraisal).hasValue(Optional.empty());
        assertThat(securityEvents).extracting(SecurityEventV1::reasonCode)
                .containsExactly("RECORD_EAR_MISSING", "RECORD_EAR_INVALID");

        views.apply(record(Topics.ATTESTATION_RESULTS, AttestationResultV1.TYPE,
                JSON.writeValueAsString(contraindicated(TestVerifierKeys.ear(DEVICE, "warning",
                        active.keyThumbprint(), now, now.plusSeconds(3600))))));

        assertThat(views.find(DEVICE)).map(DeviceView::latestAppraisal)
                .hasValueSatisfying(appraisal -> assertThat(appraisal)
                        .hasValueSatisfying(latest -> assertThat(latest.status()).isEqualTo(ArStatus.WARNING)));
    }

    /** A result whose own fields say contraindicated, carrying {@code ear}. */
    private AttestationResultV1 contraindicated(String ear) {
        return new AttestationResultV1(DEVICE, "default", "contraindicated", Map.of("executables", 96),
                "simanchor/default/v1", "tracker-x1", "4.2.0", List.of("MEASUREMENT_MISMATCH"),
                active.keyThumbprint(), Instant.now(), Instant.now().plusSeconds(3600), ear);
    }

    private static ConsumerRecord<String, String> record(String topic, String type, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0, DEVICE, value);
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        return TestRecordKeys.signed(record);
    }
}
