package io.simanchor.agent.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.simanchor.agent.enroll.CsrBuilder;
import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.enroll.SoftwareKey;

/**
 * The fleet simulator's enrollment run: an operator registers N simulated devices, then every device
 * enrolls through the public API (challenge, CSR, certificate) with a software key. Prints progress and
 * a summary with throughput and latency percentiles; also the load generator behind docs/performance.md.
 */
final class FleetEnrollment {

    /**
     * Settings of a run.
     *
     * @param devices how many devices
     * @param concurrency devices enrolling at the same time
     * @param warmup devices enrolled before the timed run, so that the service's JIT has compiled the
     *        enrollment path (a long-running service's steady state), left out of every figure
     * @param operator the operator who registers the devices
     * @param hwModel hardware model of the simulated devices
     * @param attestation when present, the enrolled devices then attest (docs/attestation.md)
     * @param tokens when present (with attestation), the attested devices then ask for tokens
     * @param mud when present (with tokens), the models' MUD files are uploaded first and every device's
     *        effective network policy is shown at the end
     */
    record Settings(int devices, int concurrency, int warmup, Operator operator, String hwModel,
            Optional<FleetAttestation.Settings> attestation, Optional<FleetTokens.Settings> tokens,
            Optional<FleetMudPolicies.Settings> mud) {
    }

    /** One device's outcome. */
    private record Outcome(SimulatedDevice device, IdentityClient.Enrollment enrollment, long enrollNanos,
            String error) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();

    FleetEnrollment(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** The outcome of a run: how many devices failed, and the figures for {@code --json}. */
    record Result(int failed, Map<String, Object> figures) {
    }

    /** Runs the enrollment. */
    Result run() {
        int connections = Math.max(settings.concurrency(),
                Math.max(settings.attestation().map(FleetAttestation.Settings::concurrency).orElse(0),
                        settings.tokens().map(tokens -> Collections.max(tokens.concurrencies())).orElse(0)));
        try (Operator.Session session = settings.operator().signIn(connections)) {
            out.printf("  operator token obtained from %s (client %s)%n", settings.operator().tokenUrl(),
                    settings.operator().clientId());
            Optional<FleetMudPolicies> mud = settings.mud().map(mudSettings -> new FleetMudPolicies(mudSettings, out));
            mud.ifPresent(policies -> policies.upload(session.http(), session.token()));
            List<SimulatedDevice> fleet = register(session);
            out.printf("  registered %d expected devices (model %s)%n", fleet.size(), settings.hwModel());
            if (settings.warmup() > 0) {
                List<Outcome> warmup = enrollAll(session.identity(), fleet.subList(0, settings.warmup()), "warm-up");
                long failed = warmup.stream().filter(o -> o.enrollment() == null).count();
                out.printf("  warm-up: %d devices enrolled, %d failed (not part of the figures)%n",
                        warmup.size() - failed, failed);
            }
            long start = System.nanoTime();
            List<Outcome> outcomes = enrollAll(session.identity(), fleet.subList(settings.warmup(), fleet.size()),
                    "enrolled");
            Result enrollment = summarise(outcomes, System.nanoTime() - start);
            if (settings.attestation().isEmpty()) {
                return enrollment;
            }
            out.printf("%n  Attestation (%s)%n", settings.attestation().get().attestationUrl());
            List<FleetAttestation.Device> enrolled = outcomes.stream()
                    .filter(o -> o.enrollment() != null)
                    .map(o -> new FleetAttestation.Device(o.enrollment().deviceId(), o.device().key()))
                    .toList();
            FleetAttestation fleetAttestation = new FleetAttestation(settings.attestation().get(), out);
            Result attestation = fleetAttestation.run(session.http(), session.token(), enrolled);
            Map<String, Object> figures = new LinkedHashMap<>(enrollment.figures());
            figures.put("attestation", attestation.figures());
            if (settings.tokens().isEmpty()) {
                return new Result(enrollment.failed() + attestation.failed(), figures);
            }
            FleetTokens fleetTokens = new FleetTokens(settings.tokens().get(), out);
            Result tokens = fleetTokens.run(session.http(), session.identity(), session.token(),
                    fleetAttestation.attested());
            figures.put("tokens", tokens.figures());
            int failed = enrollment.failed() + attestation.failed() + tokens.failed();
            if (mud.isPresent()) {
                Result policies = mud.get()
                        .show(session.http(), session.token(), fleetAttestation.attested(),
                                fleetTokens.revoked());
                figures.putAll(policies.figures());
                failed += policies.failed();
            }
            return new Result(failed, figures);
        }
    }

    private List<Outcome> enrollAll(IdentityClient identity, List<SimulatedDevice> devices, String label) {
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(1, devices.size() / 10);
        return Await.result(BoundedConcurrency.map(devices, settings.concurrency(),
                device -> enroll(identity, device).thenApply(outcome -> {
                    int finished = done.incrementAndGet();
                    if (finished % step == 0 || finished == devices.size()) {
                        out.printf("  %s %d/%d%n", label, finished, devices.size());
                    }
                    return outcome;
                })));
    }

    /** A device of the simulated fleet: its SIM's ICCID and key (made before the timed enrollment run). */
    private record SimulatedDevice(String iccid, SoftwareKey key) {
    }

    private List<SimulatedDevice> register(Operator.Session session) {
        List<SimulatedDevice> fleet = new ArrayList<>();
        for (int i = 0; i < settings.warmup() + settings.devices(); i++) {
            fleet.add(new SimulatedDevice(SimulatedSims.iccid(random), SoftwareKey.generate(random)));
        }
        try {
            SimVendor vendor = SimVendor.registered(session.identity(), session.token(), "default", random);
            Await.result(BoundedConcurrency.map(fleet, settings.concurrency(),
                    device -> session.identity()
                            .register(session.token(), vendor.registration(device.iccid(),
                                    SimulatedSims.imei(random), settings.hwModel(),
                                    device.key().keyPair().getPublic()))));
        } catch (RuntimeException e) {
            throw new IllegalStateException("registering the fleet failed: " + e.getMessage(), e);
        }
        return fleet;
    }

    /** Challenge, CSR, certificate; a failure is an outcome too, so one device cannot stop the run. */
    private CompletionStage<Outcome> enroll(IdentityClient identity, SimulatedDevice device) {
        long start = System.nanoTime();
        return identity.createChallenge(device.iccid())
                .thenCompose(challenge -> identity.enroll(challenge.challengeId(),
                        CsrBuilder.pem(CsrBuilder.build(device.key(), challenge.nonce()))))
                .handle((enrollment, failure) -> failure == null
                        ? new Outcome(device, enrollment, System.nanoTime() - start, null)
                        : new Outcome(device, null, System.nanoTime() - start, messageOf(failure)));
    }

    static String messageOf(Throwable failure) {
        Throwable cause = Await.causeOf(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private Result summarise(List<Outcome> outcomes, long elapsedNanos) {
        List<Outcome> enrolled = outcomes.stream().filter(o -> o.enrollment() != null).toList();
        List<Outcome> failed = outcomes.stream().filter(o -> o.enrollment() == null).toList();
        List<Long> latencies = new ArrayList<>(enrolled.stream().map(Outcome::enrollNanos).toList());
        Collections.sort(latencies);
        double seconds = elapsedNanos / 1e9;
        out.println();
        out.println("  Devices");
        out.printf("    %-38s %-34s %s%n", "device id", "certificate serial", "expires");
        enrolled.stream().limit(20).forEach(o -> {
            X509Certificate certificate = firstCertificate(o.enrollment().certificateChain());
            out.printf("    %-38s %-34s %s%n", o.enrollment().deviceId(), certificate.getSerialNumber().toString(16),
                    certificate.getNotAfter().toInstant());
        });
        if (enrolled.size() > 20) {
            out.printf("    ... and %d more%n", enrolled.size() - 20);
        }
        if (!enrolled.isEmpty()) {
            X509Certificate sample = firstCertificate(enrolled.get(0).enrollment().certificateChain());
            out.printf("%n  Certificate of the first device: subject %s, issuer %s, MUD URL %s%n",
                    sample.getSubjectX500Principal().getName(), sample.getIssuerX500Principal().getName(),
                    enrolled.get(0).enrollment().mudUrl());
        }
        out.printf("%n  Enrolled %d of %d devices in %.2f s: %.1f enrollments/s", enrolled.size(), outcomes.size(),
                seconds, enrolled.size() / seconds);
        if (!latencies.isEmpty()) {
            out.printf(", latency p50 %.1f ms, p99 %.1f ms", percentile(latencies, 50), percentile(latencies, 99));
        }
        out.println();
        failed.stream().limit(5).forEach(o -> out.printf("  FAILED %s: %s%n", o.device().iccid(), o.error()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "enrollment");
        figures.put("devices", outcomes.size());
        figures.put("concurrency", settings.concurrency());
        figures.put("warmupDevices", settings.warmup());
        figures.put("enrolled", enrolled.size());
        figures.put("failed", failed.size());
        figures.put("seconds", Math.round(seconds * 100) / 100.0);
        figures.put("enrollmentsPerSecond", Math.round(enrolled.size() / seconds * 10) / 10.0);
        if (!latencies.isEmpty()) {
            figures.put("latencyP50Ms", Math.round(percentile(latencies, 50) * 10) / 10.0);
            figures.put("latencyP99Ms", Math.round(percentile(latencies, 99) * 10) / 10.0);
        }
        return new Result(failed.size(), figures);
    }

    static double percentile(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static X509Certificate firstCertificate(String chainPem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException("the service returned an unreadable certificate", e);
        }
    }
}
