package io.simanchor.attestation.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
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

import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * Publishes {@code simanchor.device-lifecycle} events the way identity-service does (same records, same
 * CloudEvents headers), so the verifier's device view is fed exactly as in production.
 */
public final class LifecycleEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer;

    public LifecycleEvents(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** A snapshot of an enrolled device of model {@code hwModel} with this key and state. */
    public static DeviceSnapshotV1 snapshot(String deviceId, String hwModel, EcPublicKey key, DeviceState state) {
        EcPublicKey.Jwk jwk = key.toJwk();
        return new DeviceSnapshotV1(deviceId, "default", hwModel, "Acme", new EcPublicJwkV1(jwk.kty(), jwk.crv(),
                jwk.x(), jwk.y()), key.thumbprint(), "01", Instant.now().plusSeconds(86_400),
                "https://mud.simanchor.local/v1/models/" + hwModel, state);
    }

    public void enrolled(DeviceSnapshotV1 device) {
        send(device.deviceId(), DeviceEnrolledV1.TYPE, new DeviceEnrolledV1(device, Instant.now()));
    }

    public void stateChanged(DeviceSnapshotV1 device, DeviceState previous) {
        send(device.deviceId(), DeviceStateChangedV1.TYPE,
                new DeviceStateChangedV1(device, previous, "test", "tester", Instant.now()));
    }

    public void keyRotated(DeviceSnapshotV1 device, String previousThumbprint) {
        send(device.deviceId(), DeviceKeyRotatedV1.TYPE,
                new DeviceKeyRotatedV1(device, previousThumbprint, Instant.now()));
    }

    /** A record the view cannot use, to show it skips rather than stops. */
    public void garbage(String deviceId) {
        sendRaw(deviceId, DeviceEnrolledV1.TYPE, "{not json");
    }

    private void send(String key, String type, Object event) {
        try {
            sendRaw(key, type, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sendRaw(String key, String type, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(UUID.randomUUID().toString()));
        headers.add(CloudEventHeaders.SOURCE, bytes("/simanchor/identity-service"));
        headers.add(CloudEventHeaders.TYPE, bytes(type));
        try {
            producer.send(new ProducerRecord<>(Topics.DEVICE_LIFECYCLE, null, key, value, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish a lifecycle event", e);
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
