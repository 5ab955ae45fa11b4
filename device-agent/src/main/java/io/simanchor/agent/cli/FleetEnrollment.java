package io.simanchor.agent.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
     * @param operator the operator who registers the devices
     * @param hwModel hardware model of the simulated devices
     */
    record Settings(int devices, int concurrency, Operator operator, String hwModel) {
    }

    /** One device's outcome. */
    private record Outcome(String iccid, IdentityClient.Enrollment enrollment, long enrollNanos, String error) {
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
    Result run() throws InterruptedException {
        Operator.Session session = settings.operator().signIn();
        IdentityClient identity = session.identity();
        String token = session.token();
        out.printf("  operator token obtained from %s (client %s)%n", settings.operator().tokenUrl(),
                settings.operator().clientId());

        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency());
        try {
            List<SimulatedDevice> devices = register(identity, token, pool);
            out.printf("  registered %d expected devices (model %s)%n", devices.size(), settings.hwModel());

            AtomicInteger done = new AtomicInteger();
            List<Callable<Outcome>> enrollments = new ArrayList<>();
            for (SimulatedDevice device : devices) {
                enrollments.add(() -> {
                    Outcome outcome = enroll(identity, device);
                    int finished = done.incrementAndGet();
                    if (finished % Math.max(1, settings.devices() / 10) == 0 || finished == settings.devices()) {
                        out.printf("  enrolled %d/%d%n", finished, settings.devices());
                    }
                    return outcome;
                });
            }
            long start = System.nanoTime();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : pool.invokeAll(enrollments)) {
                outcomes.add(resultOf(future));
            }
            return summarise(outcomes, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A device of the simulated fleet: its SIM's ICCID and key (made before the timed enrollment run). */
    private record SimulatedDevice(String iccid, SoftwareKey key) {
    }

    private List<SimulatedDevice> register(IdentityClient identity, String token, ExecutorService pool)
            throws InterruptedException {
        List<Callable<SimulatedDevice>> registrations = new ArrayList<>();
        for (int i = 0; i < settings.devices(); i++) {
            registrations.add(() -> {
                String iccid = SimulatedSims.iccid(random);
                identity.register(token, Map.of("iccid", iccid, "imei", SimulatedSims.imei(random), "hwModel",
                        settings.hwModel(), "manufacturer", SimulatedSims.MANUFACTURER));
                return new SimulatedDevice(iccid, SoftwareKey.generate(random));
            });
        }
        List<SimulatedDevice> devices = new ArrayList<>();
        for (Future<SimulatedDevice> future : pool.invokeAll(registrations)) {
            try {
                devices.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("registering the fleet failed: " + e.getCause().getMessage(), e);
            }
        }
        return devices;
    }

    private static Outcome resultOf(Future<Outcome> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return new Outcome("?", null, 0, e.getCause().toString());
        }
    }

    private Outcome enroll(IdentityClient identity, SimulatedDevice device) {
        long start = System.nanoTime();
        try {
            IdentityClient.Challenge challenge = identity.createChallenge(device.iccid());
            String csr = CsrBuilder.pem(CsrBuilder.build(device.key(), challenge.nonce()));
            IdentityClient.Enrollment enrollment = identity.enroll(challenge.challengeId(), csr);
            return new Outcome(device.iccid(), enrollment, System.nanoTime() - start, null);
        } catch (RuntimeException e) {
            return new Outcome(device.iccid(), null, System.nanoTime() - start, e.getMessage());
        }
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
        failed.stream().limit(5).forEach(o -> out.printf("  FAILED %s: %s%n", o.iccid(), o.error()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "enrollment");
        figures.put("devices", outcomes.size());
        figures.put("concurrency", settings.concurrency());
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

    private static double percentile(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static X509Certificate firstCertificate(String chainPem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(chainPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException("the service returned an unreadable certificate", e);
        }
    }
}
