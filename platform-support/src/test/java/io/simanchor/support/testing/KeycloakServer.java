package io.simanchor.support.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Keycloak for integration tests, started from the distribution that {@code ./platform test}
 * unpacks (system property {@code simanchor.keycloak.home}) with the repository's realm file
 * ({@code simanchor.keycloak.realm-file}). It runs in dev mode on an in-memory database, so every start
 * imports the realm afresh with client secrets made for this run.
 */
public final class KeycloakServer implements AutoCloseable {

    /** Operator client with device-admin, policy-admin and auditor. */
    public static final String OPERATOR_CLIENT = "operator-cli";
    /** Dashboard client with auditor only. */
    public static final String MONITORING_CLIENT = "monitoring-cli";

    private final ManagedProcess process;
    private final int port;
    private final Map<String, String> secrets;

    private KeycloakServer(ManagedProcess process, int port, Map<String, String> secrets) {
        this.process = process;
        this.port = port;
        this.secrets = secrets;
    }

    /** Starts Keycloak and waits until the realm answers; fails with a clear message if it cannot. */
    public static KeycloakServer start(Path logDir) {
        Path home = requiredPath("simanchor.keycloak.home");
        Path realm = requiredPath("simanchor.keycloak.realm-file");
        try {
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, home.resolve("data/import/simanchor-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot place the realm file into " + home, e);
        }
        int port = FreePorts.next();
        Map<String, String> secrets = Map.of(OPERATOR_CLIENT, randomSecret(), MONITORING_CLIENT, randomSecret());
        Map<String, String> environment = Map.of(
                "SIMANCHOR_OPERATOR_CLIENT_SECRET", secrets.get(OPERATOR_CLIENT),
                "SIMANCHOR_MONITORING_CLIENT_SECRET", secrets.get(MONITORING_CLIENT),
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", randomSecret());
        ManagedProcess process = ManagedProcess.start(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + FreePorts.next(), "--import-realm"), environment, home,
                logDir.resolve("keycloak-" + port + ".log"));
        KeycloakServer server = new KeycloakServer(process, port, secrets);
        ReadinessProbe.awaitOk(URI.create(server.realmUrl() + "/.well-known/openid-configuration"),
                Duration.ofSeconds(240), process::isAlive, process::logTail);
        return server;
    }

    /** Issuer URL of realm {@code simanchor}: what {@code quarkus.oidc.auth-server-url} takes. */
    public String realmUrl() {
        return "http://127.0.0.1:" + port + "/realms/simanchor";
    }

    /** An access token for a confidential client of the realm (client-credentials grant). */
    public String clientToken(String clientId) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secrets.get(clientId), StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(realmUrl() + "/protocol/openid-connect/token"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "token request failed: " + response.statusCode() + " " + response.body());
            }
            return new ObjectMapper().readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    private static Path requiredPath(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name an existing path (got "
                    + value + "); run the suite with ./platform test, which fetches Keycloak and sets it");
        }
        return Path.of(value);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
