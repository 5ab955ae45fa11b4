package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.attest.EvidenceBuilder;
import io.simanchor.agent.enroll.SoftwareKey;
import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.api.attestation.MeasurementV1;

/**
 * The fleet simulator's attestation run: the operator provisions the reference values of the simulated
 * firmware, then every enrolled device attests once (challenge, EAT signed by its key, EAR). Two devices
 * misbehave on purpose so the outcome shows the appraisal at work: the second runs an unreleased firmware
 * version, the third has debugging enabled, the fourth runs a tampered kernel. With {@code appraisals > 0} it then runs a timed load of that
 * many appraisals, the figures of docs/performance.md: either closed loop (a fixed number in flight, which
 * finds the peak rate) or open loop at a fixed rate (each appraisal starts on schedule whether or not the
 * earlier ones have finished, so a slow service cannot hide its latency by slowing the generator down).
 */
final class FleetAttestation {

    static final String FIRMWARE = "tracker-firmware";
    static final String FIRMWARE_VERSION = "4.2.0";
    static final String UNRELEASED_VERSION = "4.3.0-rc1";
    private static final List<String> COMPONENTS = List.of("bootloader", "kernel", "application");
    /** RFC 9711 §4.2.9: 3 = disabled since boot; 0 = enabled. */
    private static final int DEBUG_DISABLED = 3;
    private static final int DEBUG_ENABLED = 0;
    private static final int UNKNOWN_DEVICE_RETRIES = 20;
    private static final Duration UNKNOWN_DEVICE_RETRY = Duration.ofMillis(250);

    /**
     * Settings of a run.
     *
     * @param attestationUrl attestation-service base URL
     * @param hwModel the devices' hardware model
     * @param appraisals timed appraisals after the fleet attested once (0: none)
     * @param concurrency appraisals in flight at once during the timed run (closed loop)
     * @param warmup untimed appraisals before the timed run, so the figures describe a warmed-up service
     * @param ratePerSecond when positive, the timed appraisals start at this rate (open loop) instead
     */
    record Settings(URI attestationUrl, String hwModel, int appraisals, int concurrency, int warmup,
            int ratePerSecond) {
    }

    /** An enrolled device: its id and key. */
    record Device(String deviceId, SoftwareKey key) {
    }

    private record Attested(Device device, EvidenceBuilder.DeviceState state, String status, String ear,
            long nanos, String error, boolean unknownDevice) {
    }

    /** A device that attested: its key, EAR status and the EAR to present to relying parties. */
    record Attestation(String deviceId, SoftwareKey key, String status, String ear) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final List<Attestation> attested = new ArrayList<>();

    FleetAttestation(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Attests every device once, then runs the timed appraisals; returns the figures and the failures. */
    FleetEnrollment.Result run(JsonHttp http, String operatorToken, List<Device> devices) {
        AttestationClient attestation = new AttestationClient(http, settings.attestationUrl());
        provisionReferenceValues(http, operatorToken, settings.attestationUrl(), settings.hwModel());
        out.printf("  reference values provisioned for %s %s (%d components)%n", settings.hwModel(),
                FIRMWARE_VERSION, COMPONENTS.size());

        List<Attested> once = Await.result(BoundedConcurrency.map(indexes(devices.size()), settings.concurrency(),
                i -> attest(attestation, devices.get(i), stateOf(i))));
        out.println();
        out.printf("    %-38s %-12s %-8s %s%n", "device id", "swversion", "dbgstat", "EAR status");
        once.stream()
                .limit(20)
                .forEach(a -> out.printf("    %-38s %-12s %-8d %s%n", a.device().deviceId(),
                        a.state().swVersion(), a.state().debugStatus(),
                        a.error() == null ? a.status() : "FAILED " + a.error()));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        once.forEach(a -> byStatus.merge(a.error() == null ? a.status() : "failed", 1L, Long::sum));
        out.printf("%n  Attested %d devices: %s%n", once.size(), byStatus);

        once.stream()
                .filter(a -> a.error() == null)
                .forEach(a -> attested.add(new Attestation(a.device().deviceId(), a.device().key(), a.status(),
                        a.ear())));
        int failed = (int) once.stream().filter(a -> a.error() != null).count();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("attested", once.size());
        figures.put("statuses", byStatus);
        if (settings.appraisals() > 0) {
            failed += timedRun(attestation, devices, figures);
        }
        return new FleetEnrollment.Result(failed, figures);
    }

    private int timedRun(AttestationClient attestation, List<Device> devices, Map<String, Object> figures) {
        EvidenceBuilder.DeviceState genuine = stateOf(0);
        Function<Integer, CompletionStage<Attested>> appraisal = i -> attest(attestation,
                devices.get(i % devices.size()), genuine);
        if (settings.warmup() > 0) {
            out.printf("  warming up: %d untimed appraisals%n", settings.warmup());
            Await.result(BoundedConcurrency.map(indexes(settings.warmup()), settings.concurrency(), appraisal));
        }
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(1, settings.appraisals() / 10);
        Function<Integer, CompletionStage<Attested>> counted = i -> appraisal.apply(i).thenApply(a -> {
            int finished = done.incrementAndGet();
            if (finished % step == 0) {
                out.printf("  appraised %d/%d%n", finished, settings.appraisals());
            }
            return a;
        });
        long start = System.nanoTime();
        List<Attested> outcomes = Await.result(settings.ratePerSecond() > 0
                ? paced(settings.appraisals(), settings.ratePerSecond(), counted)
                : BoundedConcurrency.map(indexes(settings.appraisals()), settings.concurrency(), counted));
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> latencies = new ArrayList<>(outcomes.stream()
                .filter(a -> a.error() == null)
                .map(Attested::nanos)
                .toList());
        Collections.sort(latencies);
        int failed = outcomes.size() - latencies.size();
        out.printf("%n  Appraised %d of %d in %.2f s (%s): %.1f appraisals/s", latencies.size(), outcomes.size(),
                seconds, settings.ratePerSecond() > 0
                        ? "open loop, started at " + settings.ratePerSecond() + "/s"
                        : "closed loop, " + settings.concurrency() + " in flight",
                latencies.size() / seconds);
        if (!latencies.isEmpty()) {
            out.printf(", evidence latency p50 %.1f ms, p99 %.1f ms", FleetEnrollment.percentile(latencies, 50),
                    FleetEnrollment.percentile(latencies, 99));
        }
        out.println();
        outcomes.stream()
                .filter(a -> a.error() != null)
                .limit(5)
                .forEach(a -> out.printf("  FAILED %s: %s%n", a.device().deviceId(), a.error()));
        figures.put("appraisals", outcomes.size());
        figures.put("appraisalWarmup", settings.warmup());
        if (settings.ratePerSecond() > 0) {
            figures.put("appraisalRateTarget", settings.ratePerSecond());
        } else {
            figures.put("appraisalConcurrency", settings.concurrency());
        }
        figures.put("appraisalsFailed", failed);
        figures.put("appraisalSeconds", Math.round(seconds * 100) / 100.0);
        figures.put("appraisalsPerSecond", Math.round(latencies.size() / seconds * 10) / 10.0);
        if (!latencies.isEmpty()) {
            figures.put("evidenceLatencyP50Ms", Math.round(FleetEnrollment.percentile(latencies, 50) * 100) / 100.0);
            figures.put("evidenceLatencyP99Ms", Math.round(FleetEnrollment.percentile(latencies, 99) * 100) / 100.0);
        }
        return failed;
    }

    /**
     * Open loop: starts appraisal {@code i} at {@code i / rate} seconds after the first, from one pacing
     * thread, without waiting for earlier ones (the calls themselves are asynchronous).
     */
    private static CompletableFuture<List<Attested>> paced(int count, int ratePerSecond,
            Function<Integer, CompletionStage<Attested>> appraisal) {
        List<CompletableFuture<Attested>> started = new ArrayList<>(count);
        long start = System.nanoTime();
        double intervalNanos = 1e9 / ratePerSecond;
        for (int i = 0; i < count; i++) {
            long wait = start + (long) (i * intervalNanos) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            started.add(appraisal.apply(i).toCompletableFuture());
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> started.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Challenge, evidence, EAR. A device that enrolled a moment ago may not have reached the verifier's
     * view yet (event-carried state, within 5 s by design), so {@code DEVICE_UNKNOWN} is retried for that
     * long before it counts as a failure.
     */
    private CompletionStage<Attested> attest(AttestationClient attestation, Device device,
            EvidenceBuilder.DeviceState state) {
        return attestOnce(attestation, device, state).thenCompose(attested -> attested.unknownDevice()
                ? retryUnknown(attestation, device, state, UNKNOWN_DEVICE_RETRIES)
                : CompletableFuture.completedFuture(attested));
    }

    private CompletionStage<Attested> retryUnknown(AttestationClient attestation, Device device,
            EvidenceBuilder.DeviceState state, int retriesLeft) {
        Executor later = CompletableFuture.delayedExecutor(UNKNOWN_DEVICE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> null, later)
                .thenCompose(ignored -> attestOnce(attestation, device, state))
                .thenCompose(attested -> attested.unknownDevice() && retriesLeft > 1
                        ? retryUnknown(attestation, device, state, retriesLeft - 1)
                        : CompletableFuture.completedFuture(attested));
    }

    /** One attempt; the latency is that of the evidence call, the verifier's work. */
    private CompletionStage<Attested> attestOnce(AttestationClient attestation, Device device,
            EvidenceBuilder.DeviceState state) {
        return attestation.challenge(device.deviceId()).thenCompose(nonce -> {
            String evidence = EvidenceBuilder.sign(
                    EvidenceBuilder.claims(device.deviceId(), nonce, state, Instant.now()), device.key()::sign);
            long start = System.nanoTime();
            return attestation.appraise(evidence)
                    .thenApply(result -> new Attested(device, state, result.status(), result.ear(),
                            System.nanoTime() - start, null, false));
        })
                .exceptionally(failure -> new Attested(device, state, null, null, 0, FleetEnrollment.messageOf(failure),
                        Await.causeOf(failure) instanceof HttpCallException call && call.status() == 404));
    }

    /** The devices that attested in the first round, in order. */
    List<Attestation> attested() {
        return List.copyOf(attested);
    }

    /**
     * The state each simulated device reports: device 1 runs unreleased firmware, device 2 is being
     * debugged, device 3 runs a tampered kernel (its digest matches no released build).
     */
    private EvidenceBuilder.DeviceState stateOf(int index) {
        String version = index == 1 ? UNRELEASED_VERSION : FIRMWARE_VERSION;
        int debug = index == 2 ? DEBUG_ENABLED : DEBUG_DISABLED;
        List<MeasurementV1> measurements = index == 3
                ? measurements(version).stream()
                        .map(m -> m.component().equals("kernel")
                                ? new MeasurementV1(m.component(), m.alg(), digest("tampered kernel"))
                                : m)
                        .toList()
                : measurements(version);
        return new EvidenceBuilder.DeviceState(settings.hwModel(), FIRMWARE, version, measurements, debug, true);
    }

    /** Provisions the reference values of the simulated firmware for {@code hwModel} (operator call). */
    static void provisionReferenceValues(JsonHttp http, String operatorToken, URI attestationUrl, String hwModel) {
        URI url = attestationUrl.resolve("/api/v1/admin/reference-values/" + hwModel + "/" + FIRMWARE_VERSION);
        Await.result(http.json(JsonHttp.Call.of("PUT", url, Optional.of(operatorToken)),
                Map.of("measurements", measurements(FIRMWARE_VERSION)), 200));
    }

    /** What a genuine simulated device reports: released firmware, debugging disabled, verified boot. */
    static EvidenceBuilder.DeviceState genuineState(String hwModel) {
        return new EvidenceBuilder.DeviceState(hwModel, FIRMWARE, FIRMWARE_VERSION, measurements(FIRMWARE_VERSION),
                DEBUG_DISABLED, true);
    }

    /** The simulated firmware's measurements: a digest per component and version. */
    static List<MeasurementV1> measurements(String version) {
        return COMPONENTS.stream()
                .map(component -> new MeasurementV1(component, MeasurementV1.SHA_256,
                        digest(FIRMWARE + "/" + version + "/" + component)))
                .toList();
    }

    private static String digest(String text) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }

    private static List<Integer> indexes(int count) {
        List<Integer> indexes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            indexes.add(i);
        }
        return indexes;
    }
}
