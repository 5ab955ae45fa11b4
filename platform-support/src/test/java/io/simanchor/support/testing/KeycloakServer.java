package io.simanchor.support.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real Keycloak for integration tests, started from the distribution that {@code ./platform test}
 * unpacks (system property {@code simanchor.keycloak.home}) with the repository's realm file
 * ({@code simanchor.keycloak.realm-file}). It runs in dev mode on an in-memory database, so every start
 * imports the realm afresh with client secrets made for this run.
 */
public final class KeycloakServer implements AutoCloseable {

    /** Platform operator client: device-admin, policy-admin, auditor and platform-operator. */
    public static final String OPERATOR_CLIENT = "operator-cli";
    /** Dashboard client: auditor of every tenant (auditor and platform-operator). */
    public static final String MONITORING_CLIENT = "monitoring-cli";

    private final ManagedProcess process;
    private final int port;
    private final Map<String, String> secrets;
    private final String adminPassword;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private KeycloakServer(ManagedProcess process, int port, Map<String, String> secrets, String adminPassword) {
        this.process = process;
        this.port = port;
        this.secrets = new ConcurrentHashMap<>(secrets);
        this.adminPassword = adminPassword;
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
        String adminPassword = randomSecret();
        Map<String, String> environment = Map.of(
                "SIMANCHOR_OPERATOR_CLIENT_SECRET", secrets.get(OPERATOR_CLIENT),
                "SIMANCHOR_MONITORING_CLIENT_SECRET", secrets.get(MONITORING_CLIENT),
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        ManagedProcess process = ManagedProcess.start(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + FreePorts.next(), "--import-realm"), environment, home,
                logDir.resolve("keycloak-" + port + ".log"));
        KeycloakServer server = new KeycloakServer(process, port, secrets, adminPassword);
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
        return token(realmUrl(), "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(secrets.get(clientId)));
    }

    /**
     * Adds an operator client for one tenant through Keycloak's admin API, as a realm administrator would: a
     * confidential client with a service account, the protocol mappers of {@link #OPERATOR_CLIENT} (audience
     * and tenant), the user attribute {@code tenant} and these realm roles. Get its tokens with
     * {@link #clientToken}.
     */
    public void addTenantOperator(String clientId, String tenant, String... realmRoles) {
        String admin = token("http://127.0.0.1:" + port + "/realms/master",
                "grant_type=password&client_id=admin-cli&username=admin&password=" + encode(adminPassword));
        String api = "http://127.0.0.1:" + port + "/admin/realms/simanchor";
        ArrayNode mappers = (ArrayNode) adminCall(admin, "GET", api + "/clients?clientId=" + OPERATOR_CLIENT, null)
                .get(0)
                .get("protocolMappers");
        mappers.forEach(mapper -> ((ObjectNode) mapper).remove("id"));
        String secret = randomSecret();
        ObjectNode client = json.createObjectNode()
                .put("clientId", clientId)
                .put("publicClient", false)
                .put("secret", secret)
                .put("serviceAccountsEnabled", true)
                .put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", false);
        client.putObject("attributes").put("access.token.signed.response.alg", "ES256");
        client.set("protocolMappers", mappers);
        adminCall(admin, "POST", api + "/clients", client);
        String clientUuid = adminCall(admin, "GET", api + "/clients?clientId=" + clientId, null).get(0)
                .get("id")
                .asText();
        ObjectNode user = (ObjectNode) adminCall(admin, "GET", api + "/clients/" + clientUuid + "/service-account-user",
                null);
        user.putObject("attributes").putArray("tenant").add(tenant);
        String userUrl = api + "/users/" + user.get("id").asText();
        adminCall(admin, "PUT", userUrl, user);
        ArrayNode roles = json.createArrayNode();
        for (String role : realmRoles) {
            roles.add(adminCall(admin, "GET", api + "/roles/" + role, null));
        }
        adminCall(admin, "POST", userUrl + "/role-mappings/realm", roles);
        secrets.put(clientId, secret);
    }

    private String token(String realmUrl, String form) {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return parse(response.body()).get("access_token").asText();
    }

    private JsonNode adminCall(String adminToken, String method, String url, JsonNode body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " failed: " + response.statusCode() + " "
                    + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
