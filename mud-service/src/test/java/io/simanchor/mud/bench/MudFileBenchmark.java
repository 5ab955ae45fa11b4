package io.simanchor.mud.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.simanchor.api.mud.MudUrls;
import io.simanchor.mud.domain.MudFile;
import io.simanchor.mud.domain.MudFileValidator;
import io.simanchor.mud.infra.crypto.CmsMudSigner;
import io.simanchor.mud.infra.crypto.MudSignerKeys;
import io.simanchor.mud.infra.json.StrictMudDocuments;

/**
 * What accepting a MUD file costs in process (docs/performance.md, "MUD"): parsing it strictly and
 * validating it (RFC 8520/8519), and signing it (detached CMS, ECDSA P-256 with the active provider).
 * Single-threaded, so the scores are per core. Run from mud-service/ (the demo file is read from
 * examples/): see docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MudFileBenchmark {

    private byte[] file;
    private MudFileValidator.Location location;
    private StrictMudDocuments documents;
    private CmsMudSigner signer;

    @Setup
    public void setUp() throws Exception {
        file = Files.readString(Path.of("examples", "tracker-x1.json")).getBytes(StandardCharsets.UTF_8);
        MudUrls urls = new MudUrls("https://mud.simanchor.local");
        location = new MudFileValidator.Location(urls.fileUrl("SIM Anchor Simulated Devices", "tracker-x1"),
                urls.signatureUrl("SIM Anchor Simulated Devices", "tracker-x1"));
        documents = new StrictMudDocuments();
        SecureRandom random = new SecureRandom();
        signer = new CmsMudSigner(MudSignerKeys.loadOrCreate(Optional.empty(), new char[0], "bench", random,
                Clock.systemUTC()), random);
    }

    @Benchmark
    public MudFile validate() {
        return MudFileValidator.validate(documents.parse(file), location);
    }

    @Benchmark
    public byte[] sign() {
        return signer.sign(file);
    }

    @Benchmark
    public byte[] validateAndSign() {
        MudFileValidator.validate(documents.parse(file), location);
        return signer.sign(file);
    }
}
