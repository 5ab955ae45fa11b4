package io.simanchor.attestation.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;
import io.simanchor.attestation.domain.Appraisal;
import io.simanchor.attestation.domain.AttestationResult;
import io.simanchor.attestation.domain.SignedEvidence;
import io.simanchor.attestation.infra.crypto.EarSigner;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.StoredSigningKey;
import io.simanchor.support.jose.Es256Jws;

/**
 * The per-core crypto bound of one appraisal with the active provider (docs/performance.md): one ES256
 * verification of the evidence with the enrolled key, one ES256 signature of the EAR. Single-threaded,
 * so the score is per core. Run: see docs/performance.md ("Attestation").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AppraisalCryptoBenchmark {

    private EcPublicKey deviceKey;
    private SignedEvidence evidence;
    private EarSigner earSigner;
    private AttestationResult result;

    @Setup
    public void setUp() {
        System.out.println("\nP-256 provider: " + CryptoProviders.p256().getName());
        EvidenceSigner sim = EvidenceSigner.p256();
        deviceKey = sim.publicKey();
        String deviceId = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";
        evidence = sim.sign(new EatEvidenceV1("nonce", Ueid.of(deviceId), 1_800_000_000L, "tracker-x1", "fw",
                "4.2.0", List.of(new MeasurementV1("boot", "sha-256", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg")),
                3, true));
        earSigner = new EarSigner(
                StoredSigningKey.loadOrCreate(EarSigner.PURPOSE, Optional.empty(), new char[0], new SecureRandom(),
                        Clock.systemUTC()),
                "https://simanchor.io", "bench");
        result = new AttestationResult(deviceId, deviceKey.thumbprint(), "nonce",
                new Appraisal(ArStatus.AFFIRMING, Map.of("instance-identity", 2, "executables", 2), List.of(),
                        "simanchor/default/v1"),
                Instant.now(), Instant.now().plusSeconds(3600));
    }

    @Benchmark
    public boolean verifyEvidence() {
        return Es256Jws.verifies(deviceKey, evidence.signingInput(), evidence.signature());
    }

    @Benchmark
    public String signEar() {
        return earSigner.sign(result);
    }

    /** Both, as every appraisal does them: the bound the service's throughput is compared with. */
    @Benchmark
    public String verifyAndSign() {
        if (!Es256Jws.verifies(deviceKey, evidence.signingInput(), evidence.signature())) {
            throw new IllegalStateException("benchmark evidence does not verify");
        }
        return earSigner.sign(result);
    }
}
