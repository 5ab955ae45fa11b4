package io.simanchor.support.bench;

import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.RecordSigner;
import io.simanchor.support.messaging.RecordVerifier;
import io.simanchor.support.messaging.RejectedRecords;
import io.simanchor.support.messaging.TopicView;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.EmbeddedKafkaBroker;

/**
 * What verifying lifecycle record signatures costs a view rebuild (issue 28; docs/performance.md): N signed
 * lifecycle records (one per device, as a compacted topic holds them) on a real broker, then the time a
 * fresh view takes to read them all: reading only (Kafka's floor), and reading and applying each record as a
 * view that authorises keys does ({@link DeviceSnapshots#check} on every core, then
 * {@link DeviceSnapshots#apply}: signature, JSON, key point); and the signature checks alone, on one thread,
 * over 100,000 such records in memory. Not a test: run by hand.
 *
 * <p>
 * Arguments: {@code [devices] [partitions]}, defaults {@code 1000000 3} (the services' default partitions). Starts its own in-JVM broker.
 */
public final class LifecycleRebuild {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private LifecycleRebuild() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("Lifecycle view rebuild: %,d devices on %d partitions, provider %s%n", devices, partitions,
                CryptoProviders.p256().getName());
        KeyPair recordKey = Certificates.newP256KeyPair(new SecureRandom());
        EcPublicKey publicKey = EcPublicKey.of(recordKey.getPublic());
        RecordSigner signer = RecordSigner.of(recordKey.getPrivate(), publicKey.thumbprint(),
                Set.of(Topics.DEVICE_LIFECYCLE), new SecureRandom());
        EcPublicKey.Jwk jwk = publicKey.toJwk();
        String jwks = JSON.writeValueAsString(Map.of("keys", List.of(Map.of("kty", jwk.kty(), "crv", jwk.crv(), "x",
                jwk.x(), "y", jwk.y(), "kid", publicKey.thumbprint()))));
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            try (Admin admin = Admin.create(kafka.adminProperties("rebuild-bench"))) {
                admin.createTopics(List.of(new NewTopic(Topics.DEVICE_LIFECYCLE, partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            publish(kafka.connection("identity-service"), signer, devices);
            System.out.printf("  published and signed in %.1f s%n", (System.nanoTime() - start) / 1e9);

            verifyOnly(signer, jwks, Math.min(devices, 100_000));
            report("read only (Kafka)", devices, rebuild(kafka.connection("token-service"), "read-only", devices,
                    TopicView.RecordHandler.<Void>of(() -> {
                    }, record -> null, (record, checked) -> {
                    })));
            for (int round = 1; round <= 2; round++) {
                Map<String, DeviceSnapshotV1> view = new ConcurrentHashMap<>();
                DeviceSnapshots snapshots = new DeviceSnapshots(JSON, new RecordVerifier(keys(jwks)),
                        new RejectedRecords("bench", event -> {
                            throw new IllegalStateException("refused a genuine record: " + event);
                        }, 100, Clock.systemUTC()));
                long took = rebuild(kafka.connection("token-service"), "verified-" + round, devices,
                        TopicView.RecordHandler.of(snapshots::prepare, snapshots::check,
                                (record, checked) -> snapshots.apply(record, checked,
                                        (snapshot, key) -> view.put(snapshot.deviceId(), snapshot), view::remove)));
                if (view.size() != devices) {
                    throw new IllegalStateException("the view holds " + view.size() + " devices");
                }
                report("verified, read and applied (round " + round + ")", devices, took);
            }
        }
    }

    /** The signature checks alone, over {@code sample} signed records in memory, on one thread. */
    private static void verifyOnly(RecordSigner signer, String jwks, int sample) throws Exception {
        EcPublicKey key = EcPublicKey.of(Certificates.newP256KeyPair(new SecureRandom()).getPublic());
        List<ConsumerRecord<String, String>> records = new ArrayList<>(sample);
        for (int i = 0; i < sample; i++) {
            DeviceSnapshotV1 device = DeviceEvents.snapshot("bench-" + i, "tracker-x1", key, DeviceState.ACTIVE);
            var produced = signer.sign(DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.deviceId(),
                    DeviceEnrolledV1.TYPE, DeviceEvents.json(new DeviceEnrolledV1(device, Instant.now()))));
            ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.DEVICE_LIFECYCLE, 0, i,
                    produced.key(), produced.value());
            produced.headers().forEach(header -> record.headers().add(header));
            records.add(record);
        }
        RecordVerifier verifier = new RecordVerifier(keys(jwks));
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            for (ConsumerRecord<String, String> record : records) {
                if (verifier.verify(record) != RecordVerifier.Verdict.SIGNED) {
                    throw new IllegalStateException("a genuine record did not verify");
                }
            }
            report("signature checks alone, in memory (round " + round + ")", sample, System.nanoTime() - start);
        }
    }

    private static PublishedKeys keys(String jwks) {
        return new PublishedKeys(JSON, "bench keys", Optional.empty(), Optional.of(jwks),
                Duration.ofMinutes(5), Duration.ofSeconds(10), HttpClient.newHttpClient());
    }

    private static void publish(KafkaConnection kafka, RecordSigner signer, int devices) throws Exception {
        KeyPair deviceKey = Certificates.newP256KeyPair(new SecureRandom());
        EcPublicKey key = EcPublicKey.of(deviceKey.getPublic());
        Properties properties = kafka.properties("rebuild-bench");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < devices; i++) {
                DeviceSnapshotV1 device = DeviceEvents.snapshot("bench-" + i, "tracker-x1", key, DeviceState.ACTIVE);
                producer.send(signer.sign(DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.deviceId(),
                        DeviceEnrolledV1.TYPE, DeviceEvents.json(new DeviceEnrolledV1(device, now)))));
            }
            producer.flush();
        }
    }

    /** Nanoseconds a fresh view takes from its start until it has caught up with {@code devices} records. */
    private static <T> long rebuild(KafkaConnection kafka, String name, int devices, TopicView.RecordHandler<T> handler)
            throws Exception {
        AtomicLong seen = new AtomicLong();
        long start = System.nanoTime();
        try (TopicView view = new TopicView("rebuild-" + name, kafka,
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE)),
                TopicView.RecordHandler.of(handler::prepare, handler::check, (record, checked) -> {
                    handler.apply(record, checked);
                    seen.incrementAndGet();
                }), Clock.systemUTC())) {
            view.start();
            while (!view.caughtUp() || seen.get() < devices) {
                Thread.sleep(20);
            }
            return System.nanoTime() - start;
        }
    }

    private static void report(String what, int devices, long nanos) {
        System.out.printf("  %s: %.1f s, %.1f µs a record, %,.0f records/s%n", what, nanos / 1e9,
                nanos / 1e3 / devices, devices / (nanos / 1e9));
    }
}
