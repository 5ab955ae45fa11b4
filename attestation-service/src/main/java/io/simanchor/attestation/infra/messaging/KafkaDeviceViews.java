package io.simanchor.attestation.infra.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
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

/**
 * The verifier's view of every device, materialised from {@code simanchor.device-lifecycle} (compacted;
 * every event carries the device's whole snapshot, docs/events.md), so appraisal never calls
 * identity-service. Each instance reads all partitions from the beginning without a consumer group:
 * every instance needs every device. A suspension, revocation or key rotation applies as soon as its
 * event is read, typically well under a second after identity-service committed it. The service reports
 * ready only once it has read up to the end offsets it found at start-up.
 */
@ApplicationScoped
public class KafkaDeviceViews implements DeviceViews {

    private static final Logger LOG = Logger.getLogger(KafkaDeviceViews.class);
    private static final Set<String> SNAPSHOT_EVENTS = Set.of(DeviceEnrolledV1.TYPE, DeviceStateChangedV1.TYPE,
            DeviceKeyRotatedV1.TYPE);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_REFRESH = Duration.ofSeconds(10);
    private static final Duration METADATA_REFRESH_WHILE_ABSENT = Duration.ofSeconds(1);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Map<String, DeviceView> devices = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final ObjectReader snapshots;
    private final String bootstrapServers;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread reader;

    KafkaDeviceViews(ObjectMapper json, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.json = json;
        // A tolerant reader (unlike the REST API): a field added to a later event version is ignored.
        this.snapshots = json.readerFor(DeviceSnapshotV1.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public Optional<DeviceView> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** Whether the view has read everything that was on the topic when the service started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** How many devices the view holds. */
    public int size() {
        return devices.size();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        reader = new Thread(this::run, "device-view");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            reader.join(5_000);
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                read();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (WakeupException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                // Stale state must not pass for current: not ready until the view has caught up again.
                caughtUp = false;
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                LOG.errorf(e, "The device view stopped reading %s, restarting in %d ms", Topics.DEVICE_LIFECYCLE,
                        backoff);
            }
        }
    }

    /** Reads the topic from the beginning until stopped. */
    private void read() throws InterruptedException {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(properties())) {
            consumer = kafka;
            Map<TopicPartition, Long> catchUpTo = null;
            long nextMetadataCheck = System.nanoTime();
            while (running) {
                if (System.nanoTime() - nextMetadataCheck >= 0) {
                    boolean present = refreshAssignment(kafka);
                    if (catchUpTo == null && present) {
                        catchUpTo = kafka.endOffsets(kafka.assignment());
                    }
                    if (!present && !caughtUp) {
                        // No topic yet means no device has enrolled: the empty view is complete.
                        markCaughtUp();
                    }
                    nextMetadataCheck = System.nanoTime()
                            + (present ? METADATA_REFRESH : METADATA_REFRESH_WHILE_ABSENT).toNanos();
                }
                if (kafka.assignment().isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
                    apply(record);
                }
                if (!caughtUp && catchUpTo != null && reached(kafka, catchUpTo)) {
                    markCaughtUp();
                }
            }
        } finally {
            consumer = null;
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "attestation-service-device-view");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // identity-service creates the topic compacted; a consumer must never create it with broker defaults.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }

    /** Assigns every partition of the topic, new ones from the beginning; false while the topic does not exist. */
    private boolean refreshAssignment(KafkaConsumer<String, String> kafka) {
        Set<TopicPartition> partitions = kafka.partitionsFor(Topics.DEVICE_LIFECYCLE, Duration.ofSeconds(5))
                .stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .collect(Collectors.toSet());
        if (partitions.isEmpty()) {
            return false;
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(kafka.assignment());
        if (!added.isEmpty()) {
            kafka.assign(partitions);
            kafka.seekToBeginning(added);
        }
        return true;
    }

    private static boolean reached(KafkaConsumer<String, String> kafka, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (kafka.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void markCaughtUp() {
        caughtUp = true;
        LOG.infof("Device view ready [devices: %d]", devices.size());
    }

    void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            devices.remove(record.key());
            return;
        }
        String type = header(record, CloudEventHeaders.TYPE);
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

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
