package io.simanchor.support.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.messaging.KafkaConnection;

/**
 * Publishes the events other services' device views read, as identity-service and attestation-service
 * would: lifecycle snapshots on {@code simanchor.device-lifecycle} and appraisals on
 * {@code simanchor.attestation-results}, with CloudEvents headers.
 */
public final class DeviceEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer;

    /** A publisher connected as {@code kafka} describes (the broker's administration in most tests). */
    public DeviceEvents(KafkaConnection kafka) {
        Properties properties = kafka.properties("test-device-events");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** A publisher connected as the shared test broker's administration ({@link KafkaTestResource}). */
    public DeviceEvents() {
        this(KafkaTestResource.broker().administration());
    }

    /** A snapshot of an enrolled device of model {@code hwModel} with this key and state, at revision 1. */
    public static DeviceSnapshotV1 snapshot(String deviceId, String hwModel, EcPublicKey key, DeviceState state) {
        return snapshot(deviceId, hwModel, key, state, 1);
    }

    /** The same snapshot at another revision. */
    public static DeviceSnapshotV1 snapshot(String deviceId, String hwModel, EcPublicKey key, DeviceState state,
            long revision) {
        EcPublicKey.Jwk jwk = key.toJwk();
        return new DeviceSnapshotV1(deviceId, "default", hwModel, "Acme", new EcPublicJwkV1(jwk.kty(), jwk.crv(),
                jwk.x(), jwk.y()), key.thumbprint(), "01", Instant.now().plusSeconds(86_400),
                "https://mud.simanchor.local/v1/models/" + hwModel, state, true, revision);
    }

    public void enrolled(DeviceSnapshotV1 device) {
        send(Topics.DEVICE_LIFECYCLE, device.deviceId(), DeviceEnrolledV1.TYPE,
                new DeviceEnrolledV1(device, Instant.now()));
    }

    public void stateChanged(DeviceSnapshotV1 device, DeviceState previous) {
        send(Topics.DEVICE_LIFECYCLE, device.deviceId(), DeviceStateChangedV1.TYPE,
                new DeviceStateChangedV1(device, previous, "test", "tester", Instant.now()));
    }

    public void keyRotated(DeviceSnapshotV1 device, String previousThumbprint) {
        send(Topics.DEVICE_LIFECYCLE, device.deviceId(), DeviceKeyRotatedV1.TYPE,
                new DeviceKeyRotatedV1(device, previousThumbprint, Instant.now()));
    }

    /** An appraisal outcome of attestation-service. */
    public void appraised(AttestationResultV1 result) {
        send(Topics.ATTESTATION_RESULTS, result.deviceId(), AttestationResultV1.TYPE, result);
    }

    /** A signed record the view cannot use, to show it skips rather than stops. */
    public void garbage(String deviceId) {
        sendRaw(Topics.DEVICE_LIFECYCLE, deviceId, DeviceEnrolledV1.TYPE, "{not json");
    }

    private void send(String topic, String key, String type, Object event) {
        sendRaw(topic, key, type, json(event));
    }

    /** {@code event} as its producer writes it. */
    public static String json(Object event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sendRaw(String topic, String key, String type, String value) {
        send(TestRecordKeys.signed(record(topic, key, type, value)));
    }

    /**
     * A record as identity-service or attestation-service would publish it (CloudEvents headers), not yet
     * signed: {@link TestRecordKeys#signed} signs it, a test that forges one sends it as it is.
     */
    public static ProducerRecord<String, String> record(String topic, String key, String type, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(UUID.randomUUID().toString()));
        headers.add(CloudEventHeaders.SOURCE, bytes(Topics.ATTESTATION_RESULTS.equals(topic)
                ? "/simanchor/attestation-service"
                : "/simanchor/identity-service"));
        headers.add(CloudEventHeaders.TYPE, bytes(type));
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    /** Sends {@code record} as it is, signed or not: for tests of what a view does with a forged record. */
    public void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish a test event", e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
