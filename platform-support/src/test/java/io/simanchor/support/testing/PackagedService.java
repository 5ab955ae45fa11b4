package io.simanchor.support.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A service as it ships: {@code target/quarkus-app/quarkus-run.jar} of the module under test, started
 * as its own process with configuration in environment variables, like the launcher and Kubernetes do.
 * For black-box {@code *IT} tests.
 */
public final class PackagedService implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private PackagedService(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the packaged service of the current module and waits until {@code /q/health/ready} is 200.
     *
     * @param name service name, for the log file
     * @param environment configuration (QUARKUS_..., KAFKA_..., SIMANCHOR_...); the HTTP port is added
     */
    public static PackagedService start(String name, Map<String, String> environment) {
        return start(name, Path.of("target/quarkus-app/quarkus-run.jar"), baseUrl -> environment);
    }

    /**
     * Starts a packaged service from {@code jar} (another module's, for tests across services) and waits
     * until {@code /q/health/ready} is 200.
     *
     * @param environment configuration for the base URL the service will have (a service whose issuer is
     *        its own URL needs it); the HTTP host and port are added
     */
    public static PackagedService start(String name, Path jar, Function<String, Map<String, String>> environment) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new IllegalStateException(absolute + " does not exist: build it first ('mvn verify')");
        }
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>(environment.apply("http://127.0.0.1:" + port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        ManagedProcess process = ManagedProcess.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", absolute.toString()), env, absolute.getParent(),
                Path.of("target", name + "-it.log"));
        PackagedService service = new PackagedService(process, port);
        try {
            ReadinessProbe.awaitOk(URI.create(service.baseUrl() + "/q/health/ready"), Duration.ofSeconds(120),
                    process::isAlive, process::logTail);
        } catch (RuntimeException | Error e) {
            // Nobody else holds it yet: a service that never became ready would outlive the test run.
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * The environment every packaged SIM Anchor service needs to run against test infrastructure: the
     * database (as the roles of the service whose schema is {@code schema}), the broker (as the principal
     * {@code <schema>-service}), and operator tokens verified with {@link TestOidcResource}'s key.
     */
    public static Map<String, String> environment(EmbeddedPostgresServer postgres, String schema,
            EmbeddedKafkaBroker kafka) {
        Map<String, String> env = new HashMap<>(postgres.environment(schema));
        kafka.serviceConfig(schema + "-service").forEach((key, value) -> env.put(environmentName(key), value));
        env.put(environmentName(TestRecordKeys.PROPERTY), TestRecordKeys.jwks());
        env.put(environmentName(TestVerifierKeys.PROPERTY), TestVerifierKeys.jwks());
        new TestOidcResource().start().forEach((key, value) -> env.put(environmentName(key), value));
        return env;
    }

    /** The environment variable for a configuration property (MicroProfile Config's mapping). */
    public static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Closes each of {@code resources} in order, best effort: one failing does not keep the next open. */
    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // Best effort: the next resource still gets closed.
            }
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
