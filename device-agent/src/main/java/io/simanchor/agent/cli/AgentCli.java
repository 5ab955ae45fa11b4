package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Command line of the device agent. Secrets come from the environment, never from arguments (which
 * other users of the machine can read in the process list).
 */
public final class AgentCli {

    private static final String USAGE = """
            usage: java -jar device-agent.jar <command> [options]

            commands:
              fleet-enroll   register N simulated devices as an operator, then enroll each one
                --devices N            number of devices (default 20)
                --concurrency N        devices enrolling at once (default 8)
                --identity-url URL     identity-service (default http://127.0.0.1:8081)
                --token-url URL        Keycloak token endpoint
                                       (default http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token)
                --client-id ID         operator client (default operator-cli)
                --hw-model MODEL       hardware model of the devices (default tracker-x1)
                env SIMANCHOR_OPERATOR_CLIENT_SECRET   the operator client's secret (required)
            """;

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
        if (!args[0].equals("fleet-enroll")) {
            err.println("unknown command: " + args[0]);
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String secret = env.get("SIMANCHOR_OPERATOR_CLIENT_SECRET");
        if (secret == null || secret.isBlank()) {
            err.println("SIMANCHOR_OPERATOR_CLIENT_SECRET is not set");
            return 2;
        }
        FleetEnrollment.Settings settings;
        try {
            settings = new FleetEnrollment.Settings(
                    positive(options.getOrDefault("devices", "20"), "--devices"),
                    positive(options.getOrDefault("concurrency", "8"), "--concurrency"),
                    URI.create(options.getOrDefault("identity-url", "http://127.0.0.1:8081")),
                    URI.create(options.getOrDefault("token-url",
                            "http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token")),
                    options.getOrDefault("client-id", "operator-cli"), secret,
                    options.getOrDefault("hw-model", "tracker-x1"));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        int failed = new FleetEnrollment(settings, out).run();
        return failed == 0 ? 0 : 1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static int positive(String value, String option) {
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive whole number");
        }
    }
}
