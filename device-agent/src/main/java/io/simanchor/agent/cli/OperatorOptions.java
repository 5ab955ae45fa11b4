package io.simanchor.agent.cli;

import java.util.Set;

/** Options of the commands that act as an operator against identity-service (via Keycloak). */
final class OperatorOptions {

    static final Set<String> NAMES = Set.of("identity-url", "token-url", "client-id");
    static final String SECRET = "SIMANCHOR_OPERATOR_CLIENT_SECRET";
    static final String HELP = """
                --identity-url URL     identity-service (default http://127.0.0.1:8081)
                --token-url URL        Keycloak token endpoint
                                       (default http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token)
                --client-id ID         operator client (default operator-cli)
                env SIMANCHOR_OPERATOR_CLIENT_SECRET   the operator client's secret (required)
            """;

    private OperatorOptions() {
    }

    /** {@code names} and the operator's options. */
    static Set<String> with(String... names) {
        Set<String> all = new java.util.HashSet<>(NAMES);
        all.addAll(Set.of(names));
        return Set.copyOf(all);
    }

    static Operator operator(Options options, String secret) {
        return new Operator(options.uri("identity-url", "http://127.0.0.1:8081"),
                options.uri("token-url", "http://127.0.0.1:8180/realms/simanchor/protocol/openid-connect/token"),
                options.get("client-id", "operator-cli"), secret);
    }
}
