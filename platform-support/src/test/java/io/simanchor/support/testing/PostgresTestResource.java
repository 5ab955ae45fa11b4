package io.simanchor.support.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at a real PostgreSQL server ({@link EmbeddedPostgresServer}), started once
 * per test JVM and shared by every test class.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer server;

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = EmbeddedPostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedPostgresServer postgres = server();
        return Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl(), "quarkus.datasource.username",
                postgres.username(), "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        // Shared across the test classes of this JVM: stopped by the shutdown hook.
    }
}
