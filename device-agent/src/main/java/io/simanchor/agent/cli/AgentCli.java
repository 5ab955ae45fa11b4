package io.simanchor.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Command line of the device agent. Secrets come from the environment, never from arguments (which
 * other users of the machine can read in the process list).
 * <p>
 * Exit codes: 0 success, 1 the run failed (some devices or records did not make it, or a service
 * refused), 2 bad usage.
 */
public final class AgentCli {

    private static final String USAGE = """
            usage: java -jar device-agent.jar <command> [options]

            commands:
              fleet-enroll     register N simulated devices as an operator, then enroll each one
                               through the public API (challenge, CSR, certificate)
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
                --token-concurrency N  token requests in flight at once (default 8)
                --server-pid PID       token-service's process on this machine: report its CPU
                                       per token over the timed requests

              fleet-manifest   act as a SIM vendor: register a vendor key, write a manifest of N
                               endorsed SIM records, upload it, upload it again (must change nothing)
                --records N            records in the manifest (default 1000)
                --manifest FILE        where to write it (default fleet-manifest.jsonl)
                --tenant ID            tenant the SIMs belong to (default default)
                --hw-model MODEL       hardware model of the devices (default tracker-x1)

              keycloak-tokens  the Keycloak side of the token benchmark: register N clients with
                               ES256 private_key_jwt in a realm, then the same pre-signed token
                               load as fleet-enroll --token-requests
                --keycloak-url URL     Keycloak (default http://127.0.0.1:8180)
                --realm NAME           realm (default simanchor)
                --clients N            clients to register (default 1000)
                --token-requests N     timed token requests (default 10000)
                --token-warmup N       untimed requests first (default 0)
                --token-concurrency N  requests in flight at once (default 8)
                --server-pid PID       Keycloak's JVM on this machine: report its CPU per token
                --json FILE            also write the figures as JSON to FILE
                env KEYCLOAK_ADMIN_PASSWORD   password of Keycloak's admin user (required)

            options of fleet-enroll and fleet-manifest:
                --identity-url URL     identity-service (default http://127.0.0.1:8081)
                --token-url URL        Keycloak token endpoint
                                       (default http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token)
                --client-id ID         operator client (default operator-cli)
                --json FILE            also write the figures of the run as JSON to FILE
                env SIMANCHOR_OPERATOR_CLIENT_SECRET   the operator client's secret (required)

            exit codes: 0 success, 1 the run failed, 2 bad usage
            """;

    private static final Set<String> COMMON_OPTIONS = Set.of("identity-url", "token-url", "client-id", "json",
            "hw-model");
    private static final Map<String, Set<String>> COMMAND_OPTIONS = Map.of(
            "fleet-enroll", Set.of("devices", "concurrency", "warmup", "attestation-url", "appraisals",
                    "appraisal-concurrency", "appraisal-warmup", "appraisal-rate", "token-service-url",
                    "token-requests", "token-warmup", "token-concurrency", "server-pid"),
            "fleet-manifest", Set.of("records", "manifest", "tenant"),
            "keycloak-tokens", Set.of("keycloak-url", "realm", "clients", "token-requests", "token-warmup",
                    "token-concurrency", "server-pid"));

    private AgentCli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (!COMMAND_OPTIONS.containsKey(command)) {
            err.println("unknown command: " + command);
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options;
        try {
            options = options(args, COMMAND_OPTIONS.get(command));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        // Each command needs one secret, from the environment (never the command line).
        String secretName = command.equals("keycloak-tokens")
                ? "KEYCLOAK_ADMIN_PASSWORD"
                : "SIMANCHOR_OPERATOR_CLIENT_SECRET";
        String secret = env.get(secretName);
        if (secret == null || secret.isBlank()) {
            err.println(secretName + " is not set");
            return 2;
        }
        try {
            return switch (command) {
                case "fleet-enroll" -> fleetEnroll(options, secret, out);
                case "fleet-manifest" -> fleetManifest(options, secret, out);
                default -> keycloakTokens(options, secret, out);
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("failed: " + e.getMessage());
            return 1;
        }
    }

    private static int fleetEnroll(Map<String, String> options, String secret, PrintStream out) throws IOException {
        String hwModel = options.getOrDefault("hw-model", "tracker-x1");
        FleetEnrollment.Settings settings = new FleetEnrollment.Settings(
                positive(options.getOrDefault("devices", "20"), "--devices"),
                positive(options.getOrDefault("concurrency", "8"), "--concurrency"),
                notNegative(options.getOrDefault("warmup", "0"), "--warmup"), operator(options, secret),
                hwModel, Optional.ofNullable(options.get("attestation-url"))
                        .map(url -> new FleetAttestation.Settings(URI.create(url), hwModel,
                                notNegative(options.getOrDefault("appraisals", "0"), "--appraisals"),
                                positive(options.getOrDefault("appraisal-concurrency", "16"),
                                        "--appraisal-concurrency"),
                                notNegative(options.getOrDefault("appraisal-warmup", "0"), "--appraisal-warmup"),
                                notNegative(options.getOrDefault("appraisal-rate", "0"), "--appraisal-rate"))),
                Optional.ofNullable(options.get("token-service-url"))
                        .map(url -> new FleetTokens.Settings(URI.create(url),
                                notNegative(options.getOrDefault("token-requests", "0"), "--token-requests"),
                                notNegative(options.getOrDefault("token-warmup", "0"), "--token-warmup"),
                                positive(options.getOrDefault("token-concurrency", "8"), "--token-concurrency"),
                                serverPid(options))));
        if (settings.tokens().isPresent() && settings.attestation().isEmpty()) {
            throw new IllegalArgumentException("--token-service-url needs --attestation-url: tokens need an EAR");
        }
        FleetEnrollment.Result result = new FleetEnrollment(settings, out).run();
        writeJson(options, result.figures());
        return result.failed() == 0 ? 0 : 1;
    }

    private static int keycloakTokens(Map<String, String> options, String password, PrintStream out)
            throws IOException {
        KeycloakTokens.Settings settings = new KeycloakTokens.Settings(
                URI.create(options.getOrDefault("keycloak-url", "http://127.0.0.1:8180")),
                options.getOrDefault("realm", "simanchor"), password,
                positive(options.getOrDefault("clients", "1000"), "--clients"),
                notNegative(options.getOrDefault("token-warmup", "0"), "--token-warmup"),
                positive(options.getOrDefault("token-requests", "10000"), "--token-requests"),
                positive(options.getOrDefault("token-concurrency", "8"), "--token-concurrency"), serverPid(options));
        Map<String, Object> figures = new KeycloakTokens(settings, out).run();
        writeJson(options, figures);
        return ((Number) figures.getOrDefault("tokensFailed", 0)).intValue() == 0 ? 0 : 1;
    }

    private static Optional<ProcessCpu> serverPid(Map<String, String> options) {
        return Optional.ofNullable(options.get("server-pid")).map(pid -> new ProcessCpu(positive(pid, "--server-pid")));
    }

    private static int fleetManifest(Map<String, String> options, String secret, PrintStream out)
            throws IOException {
        FleetManifest.Settings settings = new FleetManifest.Settings(
                positive(options.getOrDefault("records", "1000"), "--records"),
                Path.of(options.getOrDefault("manifest", "fleet-manifest.jsonl")),
                options.getOrDefault("tenant", "default"),
                operator(options, secret),
                options.getOrDefault("hw-model", "tracker-x1"));
        writeJson(options, new FleetManifest(settings, out).run());
        return 0;
    }

    private static Operator operator(Map<String, String> options, String secret) {
        return new Operator(URI.create(options.getOrDefault("identity-url", "http://127.0.0.1:8081")),
                URI.create(options.getOrDefault("token-url",
                        "http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token")),
                options.getOrDefault("client-id", "operator-cli"), secret);
    }

    private static void writeJson(Map<String, String> options, Map<String, Object> figures) throws IOException {
        String file = options.get("json");
        if (file != null) {
            Path path = Path.of(file).toAbsolutePath();
            Files.createDirectories(path.getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(path.toFile(), figures);
        }
    }

    private static Map<String, String> options(String[] args, Set<String> commandOptions) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got: " + args[i]);
            }
            String name = args[i].substring(2);
            if (!COMMON_OPTIONS.contains(name) && !commandOptions.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }

    private static int positive(String value, String option) {
        return wholeNumber(value, 1, option + " must be a positive whole number");
    }

    private static int notNegative(String value, String option) {
        return wholeNumber(value, 0, option + " must be a whole number, 0 or more");
    }

    private static int wholeNumber(String value, int least, String problem) {
        try {
            int number = Integer.parseInt(value);
            if (number < least) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(problem);
        }
    }
}
