package io.simanchor.attestation.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.StrictJws;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.RecordVerifier;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.TestRecordKeys;
import io.simanchor.support.testing.TestRecordReaders;

/**
 * What one lifecycle record costs the device view on one core (issue 28, docs/performance.md): the ECDSA
 * verification alone, the whole signature check, and the whole apply (signature, JSON, the key's point).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LifecycleRecordBenchmark {

    private ConsumerRecord<String, String> record;
    private RecordVerifier verifier;
    private DeviceSnapshots snapshots;
    private EcPublicKey signerKey;
    private StrictJws signature;
    private final Map<String, EcPublicKey> view = new HashMap<>();

    @Setup
    public void setUp() throws Exception {
        KeyPair deviceKey = Certificates.newP256KeyPair(new SecureRandom());
        DeviceSnapshotV1 device = DeviceEvents.snapshot("0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71", "tracker-x1",
                EcPublicKey.of(deviceKey.getPublic()), DeviceState.ACTIVE);
        String value = DeviceEvents.json(new DeviceEnrolledV1(device, Instant.now()));
        // Signed with the test stand-in for identity-service's key, which the readers below trust.
        ProducerRecord<String, String> produced = TestRecordKeys.signed(DeviceEvents.record(Topics.DEVICE_LIFECYCLE,
                device.deviceId(), DeviceEnrolledV1.TYPE, value));
        record = new ConsumerRecord<>(Topics.DEVICE_LIFECYCLE, 0, 0, produced.key(), produced.value());
        produced.headers().forEach(header -> record.headers().add(header));
        snapshots = TestRecordReaders.lifecycle("bench", event -> {
            throw new IllegalStateException("refused: " + event);
        });
        verifier = TestRecordReaders.lifecycleVerifier();
        String detached = new String(record.headers().lastHeader(RecordVerifier.SIGNATURE_HEADER).value(),
                StandardCharsets.US_ASCII);
        signature = StrictJws.parseDetached(detached, value.getBytes(StandardCharsets.UTF_8), 1024);
        signerKey = TestRecordReaders.lifecycleKey();
        if (!Es256Jws.verifies(signerKey, signature.signingInput(), signature.signature())
                || verifier.verify(record) != RecordVerifier.Verdict.SIGNED) {
            throw new IllegalStateException("the record does not verify");
        }
    }

    /** The ECDSA verification of the signing input alone, through the platform's seam. */
    @Benchmark
    public boolean ecdsa() {
        return Es256Jws.verifies(signerKey, signature.signingInput(), signature.signature());
    }

    /** The whole signature check of a record: header, detached JWS, key lookup, ECDSA. */
    @Benchmark
    public RecordVerifier.Verdict verifyRecord() {
        return verifier.verify(record);
    }

    /** What the view does per record: the signature check, the snapshot's JSON, the key's point. */
    @Benchmark
    public int applyRecord() {
        snapshots.apply(record, (snapshot, key) -> view.put(snapshot.deviceId(), key), view::remove);
        return view.size();
    }
}
