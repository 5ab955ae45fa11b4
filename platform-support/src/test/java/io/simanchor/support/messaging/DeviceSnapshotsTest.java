package io.simanchor.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.MutableClock;
import io.simanchor.support.testing.TestRecordKeys;
import io.simanchor.support.testing.TestRecordReaders;

/**
 * A lifecycle record changes a view only if identity-service signed it, over exactly its value, under the
 * device it names (issue 28: records written past the broker's ACLs). Every refusal is a security event.
 */
class DeviceSnapshotsTest {

    private static final String DEVICE = "5d0c1f6e-8a8b-4e0b-9d4e-2f7c6a1b3e90";

    private final List<SecurityEventV1> securityEvents = new ArrayList<>();
    private final DeviceSnapshots snapshots = TestRecordReaders.lifecycle("test-service",
            securityEvents::add);
    private final Map<String, DeviceSnapshotV1> view = new HashMap<>();
    private final DeviceSnapshotV1 genuine = snapshot(DEVICE);

    @Test
    void a_record_identity_service_signed_changes_the_view() {
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));

        assertThat(view).containsKey(DEVICE);
        assertThat(securityEvents).isEmpty();
    }

    @Test
    void an_unsigned_record_and_a_tombstone_change_nothing_and_are_reported() {
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));

        apply(record(DEVICE, enrolled(snapshot(DEVICE))));
        apply(record(DEVICE, null));

        assertThat(view.get(DEVICE)).isEqualTo(genuine);
        assertThat(reasons()).containsExactly("RECORD_UNSIGNED", "RECORD_UNSIGNED");
        assertThat(securityEvents).allSatisfy(event -> {
            assertThat(event.deviceId()).isEqualTo(DEVICE);
            assertThat(event.service()).isEqualTo("test-service");
            assertThat(event.details()).containsEntry("topic", Topics.DEVICE_LIFECYCLE);
        });
    }

    @Test
    void a_value_changed_after_signing_is_refused() {
        String value = enrolled(genuine);
        ConsumerRecord<String, String> signed = TestRecordKeys.signed(record(DEVICE, value));
        ConsumerRecord<String, String> tampered = record(DEVICE, value.replace("ACTIVE", "SUSPENDED"));
        signed.headers().forEach(header -> {
            if (header.key().equals(RecordVerifier.SIGNATURE_HEADER)) {
                tampered.headers().add(header);
            }
        });

        apply(tampered);

        assertThat(view).isEmpty();
        assertThat(reasons()).containsExactly("RECORD_SIGNATURE_INVALID");
    }

    @Test
    void a_signature_by_another_key_is_refused_whether_or_not_it_claims_a_published_kid() throws Exception {
        String value = enrolled(genuine);
        String publishedKid = TestRecordKeys.signature(value).split("\\.")[0];
        String attackersOwnKid = sign(value, "attacker");
        String claimingPublishedKid = sign(value, kidOf(publishedKid));

        apply(withSignature(record(DEVICE, value), attackersOwnKid));
        apply(withSignature(record(DEVICE, value), claimingPublishedKid));

        assertThat(view).isEmpty();
        assertThat(reasons()).containsExactly("RECORD_SIGNER_UNKNOWN", "RECORD_SIGNATURE_INVALID");
    }

    @Test
    void hostile_signature_headers_are_refused_as_malformed() {
        String value = enrolled(genuine);
        String signature = TestRecordKeys.signature(value);
        String[] parts = signature.split("\\.\\.");
        List<String> hostile = List.of(
                header("{\"alg\":\"none\",\"kid\":\"k\",\"typ\":\"simanchor-record+jws\"}") + "..",
                header("{\"alg\":\"HS256\",\"kid\":\"k\",\"typ\":\"simanchor-record+jws\"}") + ".." + parts[1],
                header("{\"alg\":\"ES256\",\"typ\":\"simanchor-record+jws\"}") + ".." + parts[1],
                header("{\"alg\":\"ES256\",\"kid\":\"k\",\"typ\":\"eat+jwt\"}") + ".." + parts[1],
                header("{\"alg\":\"ES256\",\"kid\":\"k\",\"typ\":\"simanchor-record+jws\",\"jwk\":{}}") + ".."
                        + parts[1],
                header("{\"alg\":\"ES256\",\"kid\":\"k\",\"typ\":\"simanchor-record+jws\",\"crit\":[\"b64\"],"
                        + "\"b64\":false}") + ".." + parts[1],
                parts[0] + "." + b64(value) + "." + parts[1],
                "not a jws",
                "x".repeat(RecordVerifier.MAX_SIGNATURE_LENGTH + 1));

        hostile.forEach(bad -> apply(withSignature(record(DEVICE, value), bad)));

        assertThat(view).isEmpty();
        assertThat(reasons()).hasSize(hostile.size()).containsOnly("RECORD_SIGNATURE_MALFORMED");
    }

    @Test
    void a_genuine_record_filed_under_another_device_is_refused() {
        DeviceSnapshotV1 other = snapshot("7a3e9b2c-0d1f-4e5a-8b6c-9d0e1f2a3b4c");
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));

        apply(TestRecordKeys.signed(record(DEVICE, enrolled(other))));

        assertThat(view).containsOnlyKeys(DEVICE);
        assertThat(view.get(DEVICE)).isEqualTo(genuine);
        assertThat(reasons()).containsExactly(DeviceSnapshots.KEY_MISMATCH);
    }

    /** The type header is not signed: a copy of a genuine record with it stripped must not undo the device. */
    @Test
    void a_signed_snapshot_is_read_whatever_its_unsigned_type_header_says() {
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));
        ConsumerRecord<String, String> stripped = TestRecordKeys.signed(record(DEVICE, enrolled(genuine)));
        stripped.headers().remove(CloudEventHeaders.TYPE);
        ConsumerRecord<String, String> renamed = TestRecordKeys.signed(record(DEVICE, enrolled(genuine)));
        renamed.headers().remove(CloudEventHeaders.TYPE);
        renamed.headers()
                .add(CloudEventHeaders.TYPE, "simanchor.device.state-changed.v9".getBytes(StandardCharsets.UTF_8));

        apply(stripped);
        apply(renamed);

        assertThat(view.get(DEVICE)).isEqualTo(genuine);
        assertThat(securityEvents).isEmpty();
    }

    @Test
    void a_genuine_record_older_than_one_applied_is_refused_as_replayed() {
        DeviceSnapshotV1 revoked = revision(genuine, DeviceState.REVOKED, 2);
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(revoked))));

        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(revoked))));

        assertThat(view.get(DEVICE)).as("still revoked; the same revision again changes nothing").isEqualTo(revoked);
        assertThat(reasons()).containsExactly(DeviceSnapshots.REPLAYED);
    }

    @Test
    void a_device_forgotten_over_an_unreadable_record_does_not_come_back_through_an_older_one() {
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));
        apply(TestRecordKeys.signed(record(DEVICE,
                "{\"device\":{\"deviceId\":\"" + DEVICE + "\",\"state\":\"DECOMMISSIONED\",\"revision\":2}}")));
        assertThat(view).isEmpty();

        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));

        assertThat(view).isEmpty();
        assertThat(reasons()).containsExactly(DeviceSnapshots.REPLAYED);
    }

    @Test
    void a_signed_record_the_view_cannot_read_still_forgets_the_device() {
        apply(TestRecordKeys.signed(record(DEVICE, enrolled(genuine))));

        apply(TestRecordKeys.signed(record(DEVICE, "{not json")));

        assertThat(view).isEmpty();
        assertThat(securityEvents).isEmpty();
    }

    @Test
    void a_flood_of_forged_records_is_reported_one_by_one_up_to_the_minute_budget_then_counted() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
        RejectedRecords budget = new RejectedRecords("test-service", securityEvents::add, 3, clock);

        for (int i = 0; i < 1_000; i++) {
            budget.reject(record(DEVICE, "{}"), "RECORD_UNSIGNED");
        }
        assertThat(securityEvents).hasSize(3);

        clock.advance(Duration.ofSeconds(61));
        budget.rollOver();

        assertThat(securityEvents).hasSize(4);
        assertThat(securityEvents.get(3).reasonCode()).isEqualTo(RejectedRecords.SUMMARY);
        assertThat(securityEvents.get(3).details()).containsEntry("count", "997")
                .containsEntry("lastReason", "RECORD_UNSIGNED");
        budget.reject(record(DEVICE, "{}"), "RECORD_UNSIGNED");
        assertThat(securityEvents).hasSize(5);
    }

    private void apply(ConsumerRecord<String, String> record) {
        snapshots.apply(record, (snapshot, key) -> view.put(snapshot.deviceId(), snapshot), view::remove);
    }

    private List<String> reasons() {
        return securityEvents.stream().map(SecurityEventV1::reasonCode).toList();
    }

    private static DeviceSnapshotV1 snapshot(String deviceId) {
        try {
            return DeviceEvents.snapshot(deviceId, "tracker-x1",
                    EcPublicKey.of(Certificates.newP256KeyPair(new SecureRandom()).getPublic()), DeviceState.ACTIVE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeviceSnapshotV1 revision(DeviceSnapshotV1 device, DeviceState state, long revision) {
        return new DeviceSnapshotV1(device.deviceId(), device.tenantId(), device.hwModel(), device.manufacturer(),
                device.publicKey(), device.keyThumbprint(), device.certificateSerial(), device.certificateNotAfter(),
                device.mudUrl(), state, device.endorsed(), revision);
    }

    private static String enrolled(DeviceSnapshotV1 device) {
        return DeviceEvents.json(new DeviceEnrolledV1(device, Instant.parse("2026-12-01T00:00:00Z")));
    }

    private static ConsumerRecord<String, String> record(String key, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.DEVICE_LIFECYCLE, 0, 0, key, value);
        record.headers().add(CloudEventHeaders.TYPE, DeviceEnrolledV1.TYPE.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static ConsumerRecord<String, String> withSignature(ConsumerRecord<String, String> record,
            String signature) {
        record.headers().add(RecordVerifier.SIGNATURE_HEADER, signature.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** A detached record signature by a fresh key, under {@code kid}. */
    private static String sign(String value, String kid) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        ProducerRecord<String, String> signed = RecordSigner.of(key.toECPrivateKey(), kid,
                Set.of(Topics.DEVICE_LIFECYCLE), new SecureRandom())
                .sign(new ProducerRecord<>(Topics.DEVICE_LIFECYCLE, DEVICE, value));
        return new String(signed.headers().lastHeader(RecordVerifier.SIGNATURE_HEADER).value(),
                StandardCharsets.US_ASCII);
    }

    private static String kidOf(String encodedHeader) {
        String json = new String(Base64.getUrlDecoder().decode(encodedHeader), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }

    private static String header(String json) {
        return b64(json);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
