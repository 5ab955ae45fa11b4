package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SecureElement;
import io.simanchor.agent.sim.SimulatedIotSafe;
import io.simanchor.agent.sim.SoftwareSecureElement;

/**
 * {@code sim-latency}: Table 3 of the IoT SAFE study (../shared/reference/iot-safe-latency.md) for a
 * secure element: n signatures of 32 bytes on a session kept open (C_SignInit + C_Sign), and n full
 * sequences (open a session, log in, find the key, sign, close), timed the way the study timed them.
 */
final class SimLatencyCommand implements Command {

    /** The study's rows, for the comparison. */
    private static final Map<String, double[]> STUDY = Map.of("sign-only", new double[]{476.5, 9.2, 475.1, 483.5,
            494.8, 0}, "full-sequence", new double[]{677.7, 177.2, 642.2, 671.9, 1739.4, 4});

    @Override
    public String name() {
        return "sim-latency";
    }

    @Override
    public String summary() {
        return "time signatures on a secure element, sign-only and full sequence (the study's Table 3)";
    }

    @Override
    public String help() {
        return """
                time n signatures of 32 bytes with the session kept open, then n full sequences (open a
                session, log in, find the key, sign, close), and print mean, σ, P50, P90, P99 and the
                share over 1 s of each, beside the study's figures for the IoT SAFE SIM
                    --samples N            signatures per mode (default 1000 for iot-safe-model,
                                           100 otherwise, as in the study)
                    --parallel N           iot-safe-model: simulated SIMs signing side by side, each one
                                           operation at a time (default 20)
                    --json FILE            also write the figures as JSON to FILE
                """ + SecureElementOptions.HELP + """
                    (default --sim iot-safe-model, in real time: the defaults take about a minute)
                """;
    }

    @Override
    public Set<String> options() {
        Set<String> names = new HashSet<>(Set.of("samples", "parallel", "json"));
        names.addAll(SecureElementOptions.NAMES);
        return names;
    }

    @Override
    public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception {
        String kind = SecureElementOptions.kind(options, "iot-safe-model");
        boolean model = kind.equals("iot-safe-model");
        int samples = options.positive("samples", model ? 1000 : 100);
        int parallel = options.positive("parallel", model ? 20 : 1);
        if (!model && parallel > 1) {
            throw new IllegalArgumentException("--parallel is for iot-safe-model; a token signs one at a time");
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sim-timer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Delays delays = Delays.on(timer);
            SecureRandom random = new SecureRandom();
            Function<SimulatedIotSafe.Sessions, SecureElement> element = switch (kind) {
                case "pkcs11" -> sessions -> SecureElementOptions.openPkcs11(options, environment);
                case "software" -> sessions -> SoftwareSecureElement.generate(random);
                default -> sessions -> SecureElementOptions.simulated(options, SoftwareSecureElement.generate(random),
                        sessions, delays);
            };
            out.printf("  %s, %d samples per mode on %d element(s) at once, 32-byte messages%n", kind, samples,
                    parallel);
            List<Double> signOnly = new Sampler(samples, parallel, random, out, "session reused")
                    .run(() -> element.apply(SimulatedIotSafe.Sessions.KEEP_OPEN), true);
            // The full sequence: the model opens a session for every operation; a token or a software key
            // is opened, logged in to and closed around each signature.
            List<Double> full = new Sampler(samples, parallel, random, out, "everything each time").run(
                    () -> element.apply(SimulatedIotSafe.Sessions.PER_OPERATION), false);
            out.println();
            out.printf("  %-38s %8s %8s %8s %8s %8s %9s%n", "mode (ms)", "mean", "σ", "P50", "P90", "P99", ">1 s");
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("benchmark", "sim-latency");
            figures.put("sim", kind);
            figures.put("samples", samples);
            figures.put("signOnly", row(out, kind + ", session reused", signOnly));
            figures.put("fullSequence", row(out, kind + ", everything each time", full));
            studyRow(out, "study SIM, session reused", STUDY.get("sign-only"));
            studyRow(out, "study SIM, everything each time", STUDY.get("full-sequence"));
            options.writeJson(figures);
            return 0;
        } finally {
            timer.shutdownNow();
        }
    }

    /**
     * Times {@code samples} signatures spread over {@code parallel} elements, each signing one at a time.
     * Independent SIMs run side by side to collect enough samples for a stable tail in reasonable time.
     */
    private record Sampler(int samples, int parallel, SecureRandom random, PrintStream out, String label) {

        List<Double> run(Supplier<SecureElement> elements, boolean keepOpen) {
            List<Double> millis = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger issued = new AtomicInteger();
            List<CompletableFuture<Void>> lanes = new ArrayList<>();
            for (int lane = 0; lane < parallel; lane++) {
                if (keepOpen) {
                    SecureElement element = elements.get();
                    // The study's sign-only mode starts on an open session.
                    element.sign(message()).toCompletableFuture().join();
                    lanes.add(lane(() -> element, false, issued, millis).whenComplete((done, e) -> element.close()));
                } else {
                    lanes.add(lane(elements, true, issued, millis));
                }
            }
            CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
            return millis;
        }

        /** One element's run: iterates while signatures complete at once, continues asynchronously otherwise. */
        private CompletableFuture<Void> lane(Supplier<SecureElement> elements, boolean closeEach, AtomicInteger issued,
                List<Double> millis) {
            while (issued.incrementAndGet() <= samples) {
                long start = System.nanoTime();
                SecureElement element = elements.get();
                CompletableFuture<SecureElement.Signed> signed = element.sign(message()).toCompletableFuture();
                if (!signed.isDone()) {
                    return signed.thenCompose(done -> {
                        record(element, closeEach, start, millis);
                        return lane(elements, closeEach, issued, millis);
                    });
                }
                signed.join();
                record(element, closeEach, start, millis);
            }
            return CompletableFuture.completedFuture(null);
        }

        private void record(SecureElement element, boolean closeEach, long start, List<Double> millis) {
            millis.add((System.nanoTime() - start) / 1e6);
            if (closeEach) {
                element.close();
            }
            progress(out, label, millis.size(), samples);
        }

        private byte[] message() {
            byte[] message = new byte[32];
            random.nextBytes(message);
            return message;
        }
    }

    private static void progress(PrintStream out, String mode, int done, int samples) {
        if (done % Math.max(1, samples / 5) == 0 || done == samples) {
            out.printf("  %s: %d/%d%n", mode, done, samples);
        }
    }

    private static Map<String, Object> row(PrintStream out, String label, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sigma = Math.sqrt(sorted.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
                / Math.max(1, sorted.size() - 1));
        long overOneSecond = sorted.stream().filter(v -> v > 1000).count();
        double p50 = percentile(sorted, 50);
        double p90 = percentile(sorted, 90);
        double p99 = percentile(sorted, 99);
        out.printf("  %-38s %8.1f %8.1f %8.1f %8.1f %8.1f %5d/%d%n", label, mean, sigma, p50, p90, p99,
                overOneSecond, sorted.size());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("meanMs", round(mean));
        figures.put("sigmaMs", round(sigma));
        figures.put("p50Ms", round(p50));
        figures.put("p90Ms", round(p90));
        figures.put("p99Ms", round(p99));
        figures.put("overOneSecond", overOneSecond);
        return figures;
    }

    private static void studyRow(PrintStream out, String label, double[] figures) {
        out.printf("  %-38s %8.1f %8.1f %8.1f %8.1f %8.1f %5d/100%n", label, figures[0], figures[1], figures[2],
                figures[3], figures[4], (int) figures[5]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(List<Double> sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

}
