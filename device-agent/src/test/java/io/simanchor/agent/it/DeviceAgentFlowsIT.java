package io.simanchor.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.attest.EvidenceBuilder;
import io.simanchor.agent.cli.SimVendor;
import io.simanchor.agent.device.DeviceCredentials;
import io.simanchor.agent.device.DeviceEnrollment;
import io.simanchor.agent.device.DeviceKeyRotation;
import io.simanchor.agent.device.ServerClock;
import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.Pkcs11SecureElement;
import io.simanchor.agent.sim.SigningMetrics;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.sim.SoftHsmToken;
import io.simanchor.agent.token.TokenClient;
import io.simanchor.agent.token.TokenManager;
import io.simanchor.agent.token.TokenMetrics;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.PackagedService;
import io.simanchor.support.testing.TestOidcResource;

/**
 * The agent's flows against the real services, packaged as they ship, on embedded PostgreSQL and Kafka,
 * with the key in a real SoftHSM2 token reached through PKCS#11: enroll (CSR signed in the token, chain
 * stored in its certificate slot), attest (EAT signed in the token), then the token manager's
 * pre-authentication and a token from its cache, bound to the SIM key.
 */
class DeviceAgentFlowsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "tracker-x1";

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;
    private static PackagedService identity;
    private static PackagedService attestation;
    private static PackagedService tokens;
    private static JsonHttp http;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void startThePlatform() throws Exception {
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start();
        Path data = Path.of("target", "it-data").toAbsolutePath();
        Files.createDirectories(data);
        Files.deleteIfExists(data.resolve("device-ca.p12"));
        Files.deleteIfExists(data.resolve("ear.p12"));
        Files.deleteIfExists(data.resolve("lifecycle-records.p12"));
        Map<String, String> common = PackagedService.environment(postgres, "identity", kafka);

        Map<String, String> identityEnv = new HashMap<>(common);
        identityEnv.put("SIMANCHOR_IDENTITY_CA_KEYSTORE_PATH", data.resolve("device-ca.p12").toString());
        identityEnv.put("SIMANCHOR_IDENTITY_CA_KEYSTORE_PASSWORD", "it-ca-secret");
        identityEnv.put("SIMANCHOR_IDENTITY_RECORDS_KEYSTORE_PATH", data.resolve("lifecycle-records.p12").toString());
        identityEnv.put("SIMANCHOR_IDENTITY_RECORDS_KEYSTORE_PASSWORD", "it-records-secret");
        identityEnv.put("SIMANCHOR_IDENTITY_CHALLENGE_MAC_KEY", "aXQtb25seS1jaGFsbGVuZ2UtbWFjLWtleS1mb3ItdGhlLWFnZW50");
        identity = PackagedService.start("identity-service",
                Path.of("../identity-service/target/quarkus-app/quarkus-run.jar"), baseUrl -> identityEnv);

        // The services that read the lifecycle topic trust identity-service's record key as published.
        common.put("SIMANCHOR_RECORDS_LIFECYCLE_KEYS_URL", identity.baseUrl() + "/.well-known/simanchor/record-keys");
        Map<String, String> attestationEnv = new HashMap<>(common);
        // Its own database roles and its own Kafka principal: the broker refuses it another service's topics.
        attestationEnv.putAll(PackagedService.environment(postgres, "attestation", kafka));
        attestationEnv.put("SIMANCHOR_ATTESTATION_NONCE_MAC_KEY", "aXQtb25seS1ub25jZS1tYWMta2V5LWZvci10aGUtYWdlbnQ");
        attestationEnv.put("SIMANCHOR_ATTESTATION_RESULT_KEYSTORE_PATH", data.resolve("ear.p12").toString());
        attestationEnv.put("SIMANCHOR_ATTESTATION_RESULT_KEYSTORE_PASSWORD", "it-ear-secret");
        attestation = PackagedService.start("attestation-service",
                Path.of("../attestation-service/target/quarkus-app/quarkus-run.jar"), baseUrl -> attestationEnv);

        Map<String, String> tokenEnv = new HashMap<>(common);
        // Its own database roles and its own Kafka principal: the broker refuses it another service's topics.
        tokenEnv.putAll(PackagedService.environment(postgres, "token", kafka));
        tokenEnv.put("SIMANCHOR_TOKEN_KEYS_ENCRYPTION_KEY", "aXQtb25seS10b2tlbi1rZXktZW5jcnlwdGlvbi1zZWNyZXQ");
        tokenEnv.put("SIMANCHOR_TOKEN_EAR_VERIFIER_JWKS_URL",
                attestation.baseUrl() + "/.well-known/simanchor/verification");
        tokens = PackagedService.start("token-service", Path.of("../token-service/target/quarkus-app/quarkus-run.jar"),
                baseUrl -> {
                    Map<String, String> withIssuer = new HashMap<>(tokenEnv);
                    withIssuer.put("SIMANCHOR_TOKEN_ISSUER", baseUrl);
                    return withIssuer;
                });
        http = JsonHttp.open(4);
        provisionReferenceValues();
    }

    @AfterAll
    static void stopThePlatform() {
        PackagedService.closeAll(http, tokens, attestation, identity, kafka, postgres);
        TIMER.shutdownNow();
    }

    @Test
    void a_device_with_its_key_in_a_pkcs11_token_enrolls_attests_gets_tokens_and_rotates_its_key() throws Exception {
        String iccid = "8988200000" + (100_000_000 + new SecureRandom().nextInt(899_999_999));
        Delays delays = Delays.on(TIMER);
        SigningMetrics simMetrics = new SigningMetrics();
        TokenMetrics tokenMetrics = new TokenMetrics();
        DeviceEnrollment.Enrolled enrolled;
        try (SimSigner sim = new SimSigner(Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN)), delays,
                simMetrics)) {
            IdentityClient identityClient = new IdentityClient(http, URI.create(identity.baseUrl()));
            register(identityClient, iccid, sim.element().publicKey());

            enrolled = DeviceEnrollment.enroll(identityClient, iccid, sim)
                    .toCompletableFuture()
                    .get();

            assertThat(enrolled.chain().get(0).getSubjectX500Principal().getName()).contains(enrolled.deviceId());

            DeviceCredentials credentials = new DeviceCredentials(enrolled.deviceId(), sim,
                    new AttestationClient(http, URI.create(attestation.baseUrl())),
                    TokenClient.simAnchor(http, URI.create(tokens.baseUrl())), genuineState(), Optional.empty(),
                    delays, new ServerClock(Clock.systemUTC()), tokenMetrics);
            TokenManager manager = new TokenManager(credentials, delays, new Random(1),
                    TokenManager.Settings.DEFAULTS, simMetrics, tokenMetrics);
            manager.start().toCompletableFuture().get();
            CompletableFuture<String> first = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();
            CompletableFuture<String> second = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();

            assertThat(first).isDone();
            assertThat(second.get()).isEqualTo(first.get());
            JsonNode claims = payload(first.get());
            assertThat(claims.get("sub").asText()).isEqualTo(enrolled.deviceId());
            assertThat(claims.at("/cnf/jkt").asText())
                    .isEqualTo(EcPublicKey.of(sim.element().publicKey()).thumbprint());
            assertThat(tokenMetrics.hits()).isEqualTo(2);
            assertThat(simMetrics.signatures()).as("at least CSR, evidence, assertion").isGreaterThanOrEqualTo(3);
            assertThat(simMetrics.sessionsOpened()).as("the session opened at start is kept").isZero();
            manager.close();

            // Key rotation: a new key made in the token replaces the old one, and the platform follows.
            DeviceEnrollment.Enrolled rotated = DeviceKeyRotation.rotate(identityClient, enrolled.deviceId(), sim)
                    .toCompletableFuture()
                    .get();
            assertThat(rotated.chain().get(0).getPublicKey()).isEqualTo(sim.element().publicKey());
            assertThat(sim.element().publicKey()).isNotEqualTo(enrolled.chain().get(0).getPublicKey());
            TokenManager afterRotation = new TokenManager(credentials, delays, new Random(2),
                    TokenManager.Settings.DEFAULTS, simMetrics, new TokenMetrics());
            // The verifier and token-service learn the new key from the lifecycle topic within seconds;
            // the manager retries with back-off meanwhile.
            afterRotation.start().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            String boundToNewKey = afterRotation.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture().get();
            assertThat(payload(boundToNewKey).at("/cnf/jkt").asText())
                    .isEqualTo(EcPublicKey.of(sim.element().publicKey()).thumbprint());
            afterRotation.close();
            enrolled = rotated;
        }
        // The chain went into the token's certificate slot: a new session finds it there.
        try (Pkcs11SecureElement reopened = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN))) {
            assertThat(reopened.certificateChain()).contains(enrolled.chain());
        }
    }

    private static EvidenceBuilder.DeviceState genuineState() {
        return new EvidenceBuilder.DeviceState(MODEL, "tracker-firmware", "4.2.0",
                java.util.List.of(new MeasurementV1("kernel", MeasurementV1.SHA_256, digest("kernel 4.2.0"))), 3,
                true);
    }

    private static void provisionReferenceValues() {
        http.json(JsonHttp.Call.of("PUT",
                URI.create(attestation.baseUrl() + "/api/v1/admin/reference-values/" + MODEL + "/4.2.0"),
                Optional.of(TestOidcResource.token("olivia", "policy-admin"))),
                Map.of("measurements", genuineState().measurements()), 200).toCompletableFuture().join();
    }

    /** Registers the SIM as its vendor's manifest would: its key, endorsed by a vendor key of the tenant. */
    private static void register(IdentityClient identityClient, String iccid, PublicKey simKey) {
        SimVendor vendor = SimVendor.registered(identityClient, TestOidcResource.token("olivia", "policy-admin"),
                "default", new SecureRandom());
        identityClient.register(TestOidcResource.deviceAdmin(),
                vendor.registration(iccid, "490154203237518", MODEL, "Acme", simKey))
                .toCompletableFuture()
                .join();
    }

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String digest(String text) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
