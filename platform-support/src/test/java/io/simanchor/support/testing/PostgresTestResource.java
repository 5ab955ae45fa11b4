package io.simanchor.support.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at a real PostgreSQL server ({@link EmbeddedPostgresServer}), started once
 * per test JVM and shared by every test class. The service connects as in production: its pool as the
 * service's application role, Flyway as its owner role. Name the service's schema with the init argument
 * {@value #SCHEMA}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: the service's schema (identity, attestation, mud or token). */
    public static final String SCHEMA = "schema";

    private static EmbeddedPostgresServer server;

    private String schema;

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = EmbeddedPostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        }
        return server;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.get(SCHEMA);
        if (schema == null) {
            throw new IllegalStateException("@QuarkusTestResource(PostgresTestResource.class) needs the init argument '"
                    + SCHEMA + "': the service's schema");
        }
    }

    @Override
    public Map<String, String> start() {
        return server().quarkusConfig(schema);
    }

    @Override
    public void stop() {
        // Shared across the test classes of this JVM: stopped by the shutdown hook.
    }
}
