package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code keycloak-tokens}: the Keycloak side of the token benchmark. */
final class KeycloakTokensCommand implements Command {

    @Override
    public String name() {
        return "keycloak-tokens";
    }

    @Override
    public String summary() {
        return "the Keycloak side of the token benchmark (N client-jwt clients, pre-signed load)";
    }

    @Override
    public String help() {
        return """
                register N clients with ES256 private_key_jwt in a Keycloak realm, then the same pre-signed
                token load as fleet-enroll --token-requests
                    --keycloak-url URL     Keycloak (default http://127.0.0.1:8180)
                    --realm NAME           realm (default simanchor)
                    --clients N            clients to register (default 1000)
                    --token-requests N     timed token requests (default 10000)
                    --token-warmup N       untimed requests first (default 0)
                    --token-concurrency N[,M...]  requests in flight at once (default 8); with
                                           several, the warm-up at the first, then one timed run
                                           of --token-requests at each
                    --server-pid PID       Keycloak's JVM on this machine: report its CPU per token
                    --database-pid PID     with --server-pid: also report the CPU of Keycloak's
                                           database if it runs apart (a PostgreSQL postmaster with
                                           its backends); start-dev's database is inside the JVM
                    --json FILE            also write the figures as JSON to FILE
                    env KEYCLOAK_ADMIN_PASSWORD   password of Keycloak's admin user (required)
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of("keycloak-url", "realm", "clients", "token-requests", "token-warmup", "token-concurrency",
                "server-pid", "database-pid", "json");
    }

    @Override
    public Optional<String> secret() {
        return Optional.of("KEYCLOAK_ADMIN_PASSWORD");
    }

    @Override
    public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception {
        KeycloakTokens.Settings settings = new KeycloakTokens.Settings(
                options.uri("keycloak-url", "http://127.0.0.1:8180"), options.get("realm", "simanchor"),
                secret.orElseThrow(), options.positive("clients", 1000), options.notNegative("token-warmup", 0),
                options.positive("token-requests", 10000), options.positives("token-concurrency", 8),
                FleetEnrollCommand.serverProcesses(options));
        TokenLoad.Result result = new KeycloakTokens(settings, out).run();
        options.writeJson(result.figures());
        return result.failed() == 0 ? 0 : 1;
    }
}
