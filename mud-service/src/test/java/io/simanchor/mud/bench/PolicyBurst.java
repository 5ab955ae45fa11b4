package io.simanchor.mud.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.api.mud.MudUrls;
import io.simanchor.mud.testing.TestDevices;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.StoredSigningKey;
import io.simanchor.support.ear.SignedEar;
import io.simanchor.support.jose.Es256Signer;
import io.simanchor.support.messaging.RecordSigner;

/**
 * The MUD manager's recomputation rate against the running platform ({@code ./platform up}), end to end
 * through Kafka (docs/performance.md, "MUD"): N devices enroll at once (a burst of lifecycle events), then
 * every one of them is appraised at once (a burst of N attestation results); for each burst, the time from
 * the first event produced to the last resulting policy read back from {@code simanchor.mud-policies}.
 * Not a test: run by hand or by {@code ./platform bench}.
 *
 * <p>
 * Lifecycle records are signed as identity-service signs them, with its record key, and attestation results
 * carry an EAR signed as attestation-service signs it, with its EAR key, both read from their keystores
 * (mud-service refuses anything else, docs/security.md); this runs on the platform's machine, beside them.
 *
 * <p>
 * Arguments: {@code kafka-client-properties devices record-keystore record-keystore-password-file ear-keystore
 * ear-keystore-password-file [manufacturer] [model]}; defaults for the last two
 * {@code "SIM Anchor Simulated Devices" tracker-x1}. The client properties (bootstrap servers and TLS)
 * are ./platform's administration client's, target/platform/kafka/admin-client.properties.
 */
public final class PolicyBurst {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** identity-service's lifecycle record key, as its keystore holds it (its LifecycleRecordKey). */
    private static final StoredSigningKey.Purpose RECORD_KEY = new StoredSigningKey.Purpose(
            "lifecycle-record-signing", "SIM Anchor lifecycle record signer", "(argument 3)");

    /** attestation-service's EAR key, as its keystore holds it (its EarSigner). */
    private static final StoredSigningKey.Purpose EAR_KEY = new StoredSigningKey.Purpose("ear-signing",
            "SIM Anchor attestation result signer", "(argument 5)");

    private PolicyBurst() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: PolicyBurst kafka-client-properties devices record-keystore "
                    + "record-keystore-password-file ear-keystore ear-keystore-password-file [manufacturer] [model]");
        }
        Properties bootstrap = new Properties();
        try (var in = Files.newInputStream(Path.of(args[0]))) {
            bootstrap.load(in);
        }
        int devices = Integer.parseInt(args[1]);
        char[] password = Files.readString(Path.of(args[3])).strip().toCharArray();
        StoredSigningKey recordKey = StoredSigningKey.loadExisting(RECORD_KEY, Path.of(args[2]), password);
        RecordSigner signer = RecordSigner.of(recordKey.privateKey(), recordKey.keyId(),
                Set.of(Topics.DEVICE_LIFECYCLE), new SecureRandom());
        StoredSigningKey earKey = StoredSigningKey.loadExisting(EAR_KEY, Path.of(args[4]),
                Files.readString(Path.of(args[5])).strip().toCharArray());
        Es256Signer earSigner = new Es256Signer(earKey.privateKey(), "eat+jwt", earKey.keyId(), new SecureRandom());
        String manufacturer = args.length > 6 ? args[6] : "SIM Anchor Simulated Devices";
        String model = args.length > 7 ? args[7] : "tracker-x1";
        EcPublicKey key = TestDevices.newKey();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<DeviceSnapshotV1> fleet = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            EcPublicKey.Jwk jwk = key.toJwk();
            fleet.add(new DeviceSnapshotV1("bench-" + run + "-" + i, "bench", model, manufacturer,
                    new EcPublicJwkV1(jwk.kty(), jwk.crv(), jwk.x(), jwk.y()), key.thumbprint(), "01",
                    Instant.now().plus(Duration.ofDays(365)), new MudUrls("https://mud.simanchor.local").fileUrl(
                            manufacturer, model),
                    DeviceState.ACTIVE, true, 1));
        }
        System.out.printf("MUD manager burst: %,d devices (run %s, model %s/%s)%n", devices, run, manufacturer, model);
        try (KafkaProducer<String, String> producer = producer(bootstrap);
                KafkaConsumer<String, String> policies = consumer(bootstrap)) {
            awaitAssignment(policies);
            long start = System.nanoTime();
            for (DeviceSnapshotV1 device : fleet) {
                send(producer, signer, Topics.DEVICE_LIFECYCLE, device.deviceId(), DeviceEnrolledV1.TYPE,
                        new DeviceEnrolledV1(device, Instant.now()));
            }
            producer.flush();
            report("enrollments (lifecycle events)", devices, start, System.nanoTime(),
                    await(policies, run, devices, "quarantine"));

            start = System.nanoTime();
            for (DeviceSnapshotV1 device : fleet) {
                Instant now = Instant.now();
                send(producer, signer, Topics.ATTESTATION_RESULTS, device.deviceId(), AttestationResultV1.TYPE,
                        new AttestationResultV1(device.deviceId(), "bench", "affirming", Map.of("hardware", 2),
                                "simanchor/default/v1", model, "1.0.0", List.of(), device.keyThumbprint(), now,
                                now.plus(Duration.ofHours(1)), ear(earSigner, device, now)));
            }
            producer.flush();
            report("attestation results (affirming)", devices, start, System.nanoTime(),
                    await(policies, run, devices, null));
        }
    }

    /** An affirming EAR for {@code device}, as attestation-service signs it (docs/attestation.md). */
    private static String ear(Es256Signer signer, DeviceSnapshotV1 device, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("eat_profile", SignedEar.EAR_PROFILE);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("sub", device.deviceId());
        claims.put("cnf", Map.of("jkt", device.keyThumbprint()));
        claims.put("submods", Map.of(SignedEar.SUBMODULE, Map.of("ear.status", "affirming",
                "ear.trustworthiness-vector", Map.of("hardware", 2), "ear.appraisal-policy-id",
                "simanchor/default/v1")));
        return signer.sign(claims);
    }

    private static void report(String what, int devices, long start, long produced, long done) {
        double seconds = (done - start) / 1e9;
        System.out.printf("  %s: produced in %.1f s; last policy published after %.1f s: %,.0f policies/s%n", what,
                (produced - start) / 1e9, seconds, devices / seconds);
    }

    /** Reads policies of this run until every device has one that is not {@code previousTier}; returns when. */
    private static long await(KafkaConsumer<String, String> policies, String run, int devices, String tier)
            throws Exception {
        Set<String> done = new HashSet<>();
        String prefix = "bench-" + run + "-";
        long lastProgress = System.nanoTime();
        int reported = 0;
        while (done.size() < devices) {
            for (ConsumerRecord<String, String> record : policies.poll(Duration.ofMillis(200))) {
                if (record.key() == null || !record.key().startsWith(prefix)) {
                    continue;
                }
                String value = record.value();
                boolean matches = tier == null
                        ? !value.contains("\"tier\":\"quarantine\"")
                        : value.contains("\"tier\":\"" + tier + "\"");
                if (matches) {
                    done.add(record.key());
                    lastProgress = System.nanoTime();
                }
            }
            if (done.size() / 10_000 > reported) {
                reported = done.size() / 10_000;
                System.out.printf("    %,d/%,d policies%n", done.size(), devices);
            }
            if (System.nanoTime() - lastProgress > Duration.ofSeconds(120).toNanos()) {
                throw new IllegalStateException("no progress for 120 s at " + done.size() + "/" + devices);
            }
        }
        return System.nanoTime();
    }

    private static void send(KafkaProducer<String, String> producer, RecordSigner signer, String topic, String key,
            String type, Object event) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.ID, bytes(UUID.randomUUID().toString()));
        headers.add(CloudEventHeaders.SOURCE, bytes("/simanchor/bench"));
        headers.add(CloudEventHeaders.TYPE, bytes(type));
        producer.send(signer.sign(new ProducerRecord<>(topic, null, key, JSON.writeValueAsString(event), headers)));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, String> producer(Properties client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Properties client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "mud-bench-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(Topics.MUD_POLICIES));
        return consumer;
    }

    /** Joins the group and takes the end of the topic as the start, so only this run's policies are read. */
    private static void awaitAssignment(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
    }
}
