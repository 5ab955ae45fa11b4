package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code fleet-enroll}: the load generator of the enrollment, appraisal and token benchmarks. */
final class FleetEnrollCommand implements Command {

    @Override
    public String name() {
        return "fleet-enroll";
    }

    @Override
    public String summary() {
        return "register and enroll N devices with software keys; optionally attest them and get tokens (benchmarks)";
    }

    @Override
    public String help() {
        return """
                register N simulated devices as an operator, then enroll each one through the public API
                (challenge, CSR, certificate) with a software key; the load generator of ./platform bench
                    --devices N            number of devices (default 20)
                    --concurrency N        devices enrolling at once (default 8)
                    --warmup N             enroll N more devices first, untimed, so the figures show
                                           a warmed-up service (default 0)
                    --hw-model MODEL       hardware model of the devices (default tracker-x1)
                    --attestation-url URL  then let every enrolled device attest once with
                                           attestation-service (one reports unreleased firmware,
                                           one has debugging enabled) and print the EAR status
                    --appraisals N         after that, N timed appraisals (load generator; default 0)
                    --appraisal-concurrency N  appraisals in flight at once (default 16)
                    --appraisal-warmup N   N untimed appraisals before the timed ones (default 0)
                    --appraisal-rate R     start the timed appraisals at R per second whatever the
                                           answers' pace (open loop) instead of a fixed number in
                                           flight; shows the latency at a given load (default: off)
                    --token-service-url URL  then every attested device asks token-service for an
                                           access token with its EAR, and one device is revoked to
                                           show token-service refusing it within 5 s
                    --token-requests N     after that, N timed token requests with pre-signed
                                           assertions, affirming devices round-robin (default 0)
                    --token-warmup N       N untimed token requests first (default 0)
                    --token-concurrency N[,M...]  token requests in flight at once (default 8);
                                           with several, the warm-up at the first, then one timed
                                           run of --token-requests at each
                    --server-pid PID       token-service's process on this machine: report its CPU
                                           per token over the timed requests
                    --database-pid PID     with --server-pid: also report the CPU of its database,
                                           this process and its children (PostgreSQL's postmaster
                                           and its backends), beside the server's
                    --mud-url URL          with --token-service-url: first upload the MUD files of
                                           --mud-files to mud-service, and at the end show every
                                           device's effective network policy
                    --mud-files F1,F2      MUD files; a file's name without .json is its model
                    --json FILE            also write the figures of the run as JSON to FILE
                """ + OperatorOptions.HELP;
    }

    @Override
    public Set<String> options() {
        return OperatorOptions.with("devices", "concurrency", "warmup", "hw-model", "attestation-url",
                "appraisals", "appraisal-concurrency", "appraisal-warmup", "appraisal-rate", "token-service-url",
                "token-requests", "token-warmup", "token-concurrency", "server-pid", "database-pid", "mud-url",
                "mud-files", "json");
    }

    @Override
    public Optional<String> secret() {
        return Optional.of(OperatorOptions.SECRET);
    }

    @Override
    public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception {
        String hwModel = options.get("hw-model", "tracker-x1");
        FleetEnrollment.Settings settings = new FleetEnrollment.Settings(options.positive("devices", 20),
                options.positive("concurrency", 8), options.notNegative("warmup", 0),
                OperatorOptions.operator(options, secret.orElseThrow()), hwModel,
                options.uri("attestation-url")
                        .map(url -> new FleetAttestation.Settings(url, hwModel, options.notNegative("appraisals", 0),
                                options.positive("appraisal-concurrency", 16),
                                options.notNegative("appraisal-warmup", 0), options.notNegative("appraisal-rate", 0))),
                options.uri("token-service-url")
                        .map(url -> new FleetTokens.Settings(url, options.notNegative("token-requests", 0),
                                options.notNegative("token-warmup", 0), options.positives("token-concurrency", 8),
                                serverProcesses(options))),
                options.uri("mud-url")
                        .map(url -> new FleetMudPolicies.Settings(url,
                                Arrays.stream(options.get("mud-files", "").split(","))
                                        .filter(name -> !name.isBlank())
                                        .map(Path::of)
                                        .toList())));
        if (settings.tokens().isPresent() && settings.attestation().isEmpty()) {
            throw new IllegalArgumentException("--token-service-url needs --attestation-url: tokens need an EAR");
        }
        if (settings.mud().isPresent() && settings.tokens().isEmpty()) {
            throw new IllegalArgumentException("--mud-url needs --token-service-url: policies follow attestation");
        }
        FleetEnrollment.Result result = new FleetEnrollment(settings, out).run();
        options.writeJson(result.figures());
        return result.failed() == 0 ? 0 : 1;
    }

    /** {@code --server-pid} and {@code --database-pid}: the processes whose CPU a token load reports. */
    static Optional<TokenLoad.Processes> serverProcesses(Options options) {
        if (!options.has("server-pid")) {
            if (options.has("database-pid")) {
                throw new IllegalArgumentException("--database-pid needs --server-pid");
            }
            return Optional.empty();
        }
        Optional<ProcessCpu> database = options.has("database-pid")
                ? Optional.of(ProcessCpu.withChildren(options.positive("database-pid", 1)))
                : Optional.empty();
        return Optional.of(new TokenLoad.Processes(ProcessCpu.of(options.positive("server-pid", 1)), database));
    }
}
