package io.simanchor.agent.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.enroll.SoftwareKey;

/**
 * The fleet simulator as a SIM vendor and its operator: makes a vendor key, registers it for the tenant,
 * writes a manifest of N SIMs (each with its own SIM key and the vendor's endorsement), uploads it, then
 * uploads it again, which must change nothing. Prints both import times; the load generator behind the
 * bulk-ingest figure in docs/performance.md.
 */
final class FleetManifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Settings of a run.
     *
     * @param records how many SIMs the manifest lists
     * @param manifest where the manifest is written (kept, so it can be uploaded again by hand)
     * @param tenant the tenant the SIMs are registered for
     * @param operator where and how the operator authenticates
     * @param hwModel hardware model of the devices
     */
    record Settings(int records, Path manifest, String tenant, Operator operator, String hwModel) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();

    FleetManifest(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the import; returns the figures as a map (for {@code --json}), or throws on failure. */
    Map<String, Object> run() {
        try (Operator.Session session = settings.operator().signIn(1)) {
            return run(session.identity(), session.token());
        }
    }

    private Map<String, Object> run(IdentityClient identity, String token) {
        SimVendor vendor = SimVendor.registered(identity, token, settings.tenant(), random);
        out.printf("  vendor key %s registered for tenant %s%n", vendor.keyId(), settings.tenant());

        long start = System.nanoTime();
        writeManifest(vendor);
        double generated = seconds(start);
        out.printf("  wrote %d endorsed records to %s (%.1f MB) in %.1f s%n", settings.records(), settings.manifest(),
                size(settings.manifest()) / 1e6, generated);

        start = System.nanoTime();
        JsonNode first = Await.result(identity.importManifest(token, settings.tenant(), settings.manifest()));
        double firstSeconds = seconds(start);
        report("first upload", first, firstSeconds);

        start = System.nanoTime();
        JsonNode again = Await.result(identity.importManifest(token, settings.tenant(), settings.manifest()));
        double againSeconds = seconds(start);
        report("same manifest again", again, againSeconds);

        if (first.path("imported").asInt() != settings.records()
                || again.path("unchanged").asInt() != settings.records()) {
            throw new IllegalStateException(
                    "expected every record imported once and unchanged on re-upload; see above");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "manifest-import");
        figures.put("records", settings.records());
        figures.put("manifestBytes", size(settings.manifest()));
        figures.put("firstImportSeconds", round(firstSeconds));
        figures.put("firstImportRecordsPerSecond", round(settings.records() / firstSeconds));
        figures.put("reimportSeconds", round(againSeconds));
        return figures;
    }

    private void writeManifest(SimVendor vendor) {
        try {
            Files.createDirectories(settings.manifest().toAbsolutePath().getParent());
            // Key generation and signing dominate; do them on every core, then write in order.
            List<String> lines = IntStream.range(0, settings.records())
                    .parallel()
                    .mapToObj(i -> record(vendor))
                    .toList();
            try (BufferedWriter writer = Files.newBufferedWriter(settings.manifest(), StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    writer.write(line);
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest " + settings.manifest(), e);
        }
    }

    private String record(SimVendor vendor) {
        Map<String, String> record = vendor.registration(SimulatedSims.iccid(random), SimulatedSims.imei(random),
                settings.hwModel(), SoftwareKey.generate(random).keyPair().getPublic());
        try {
            return JSON.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void report(String what, JsonNode report, double seconds) {
        out.printf("  %s: %.2f s (%.0f records/s): received %d, imported %d, unchanged %d, rejected %d%n", what,
                seconds, report.path("received").asInt() / seconds, report.path("received").asInt(),
                report.path("imported").asInt(), report.path("unchanged").asInt(), report.path("rejected").asInt());
        for (JsonNode error : report.path("errors")) {
            out.printf("    line %d: %s %s%n", error.path("line").asInt(), error.path("code").asText(),
                    error.path("detail").asText());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
