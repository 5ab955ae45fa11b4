package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code fleet}: the fleet simulator with simulated IoT SAFE SIMs against the running platform. */
final class FleetCommand implements Command {

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public String summary() {
        return "simulate N devices with IoT SAFE SIMs: enroll, attest, then ask for tokens for a while";
    }

    @Override
    public String help() {
        return """
                N simulated devices in this JVM, each with its own key behind a simulated IoT SAFE SIM
                (the study's latencies, one operation at a time), enroll, attest and get a token through
                the running platform, then their applications ask for a token at a steady rate; a few
                naive devices beside them sign a fresh assertion for every request. Prints progress
                every 10 s and a report: time to token (p50/p99/p99.9), share of calls that waited for
                the SIM, SIM operations per device-hour, refresh spread, errors.
                    --devices N            devices using the agent (default 100)
                    --naive-devices N      devices signing per request, for comparison (default 10)
                    --duration D           how long the applications ask for tokens (default 60s;
                                           e.g. 10m)
                    --rate R               token requests per device per second (default 1)
                    --concurrency N        devices enrolling or pre-authenticating at once (default 64)
                    --sim iot-safe-model   the only kind a simulated fleet has
                    --sim-faults SHARE     share of SIM operations failing with an injected PKCS#11
                                           error (default 0)
                    --hw-model MODEL       hardware model of the devices (default tracker-x1)
                    --attestation-url URL  attestation-service (default http://127.0.0.1:8082)
                    --token-service-url URL  token-service (default http://127.0.0.1:8084)
                    --json FILE            also write the figures as JSON to FILE
                """ + OperatorOptions.HELP;
    }

    @Override
    public Set<String> options() {
        return OperatorOptions.with("devices", "naive-devices", "duration", "rate", "concurrency", "sim",
                "sim-faults", "hw-model", "attestation-url", "token-service-url", "json");
    }

    @Override
    public Optional<String> secret() {
        return Optional.of(OperatorOptions.SECRET);
    }

    @Override
    public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception {
        if (!SecureElementOptions.kind(options, "iot-safe-model").equals("iot-safe-model")) {
            throw new IllegalArgumentException("a simulated fleet runs on --sim iot-safe-model");
        }
        double rate = options.decimal("rate", 1, 0.001, 1000);
        FleetSimulation.Settings settings = new FleetSimulation.Settings(options.positive("devices", 100),
                options.notNegative("naive-devices", 10), options.duration("duration", Duration.ofSeconds(60)), rate,
                options.positive("concurrency", 64), OperatorOptions.operator(options, secret.orElseThrow()),
                options.uri("attestation-url", "http://127.0.0.1:8082"),
                options.uri("token-service-url", "http://127.0.0.1:8084"), options.get("hw-model", "tracker-x1"),
                options.share("sim-faults", 0));
        FleetEnrollment.Result result = new FleetSimulation(settings, out).run();
        options.writeJson(result.figures());
        return result.failed() == 0 ? 0 : 1;
    }
}
