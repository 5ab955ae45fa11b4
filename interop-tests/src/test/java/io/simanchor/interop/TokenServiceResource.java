package io.simanchor.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.PackagedService;
import io.simanchor.support.testing.TestRecordKeys;

/**
 * Starts the packaged token-service (with its own PostgreSQL and Kafka) and points the relying party at
 * it: its JWKS URL and issuer are all the relying party is told. Stands in for attestation-service with an
 * EAR key of its own and for identity-service by publishing enrollments.
 */
public final class TokenServiceResource implements QuarkusTestResourceLifecycleManager {

    static final String VERIFIER_KEY_ID = "interop-verifier";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static ECKey verifierKey;
    static PackagedService tokenService;
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedKafkaBroker kafka;

    @Override
    public Map<String, String> start() {
        try {
            verifierKey = new ECKeyGenerator(Curve.P_256).keyID(VERIFIER_KEY_ID).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        postgres = EmbeddedPostgresServer.start();
        kafka = EmbeddedKafkaBroker.start();
        Map<String, String> env = PackagedService.environment(postgres, "token", kafka);
        env.put("SIMANCHOR_TOKEN_KEYS_ENCRYPTION_KEY", "aW50ZXJvcC1vbmx5LWtleS1lbmNyeXB0aW9uLXNlY3JldC0zMmJ5dGVz");
        env.put("SIMANCHOR_TOKEN_EAR_VERIFIER_JWKS", new JWKSet(verifierKey.toPublicJWK()).toString());
        tokenService = PackagedService.start("token-service",
                Path.of("../token-service/target/quarkus-app/quarkus-run.jar"),
                baseUrl -> {
                    Map<String, String> withIssuer = new HashMap<>(env);
                    withIssuer.put("SIMANCHOR_TOKEN_ISSUER", baseUrl);
                    return withIssuer;
                });
        return Map.of("mp.jwt.verify.publickey.location", tokenService.baseUrl() + "/oauth2/jwks",
                "mp.jwt.verify.issuer", tokenService.baseUrl());
    }

    @Override
    public void stop() {
        PackagedService.closeAll(tokenService, kafka, postgres);
    }

    /** Publishes a device's enrollment on the lifecycle topic, as identity-service would. */
    static void enroll(String deviceId, ECKey deviceKey) throws Exception {
        DeviceSnapshotV1 snapshot = new DeviceSnapshotV1(deviceId, "default", "tracker-x1", "Acme",
                new EcPublicJwkV1("EC", "P-256", deviceKey.getX().toString(), deviceKey.getY().toString()),
                deviceKey.computeThumbprint().toString(), "01", Instant.now().plusSeconds(86_400),
                "https://mud.simanchor.local/v1/models/tracker-x1", DeviceState.ACTIVE, true, 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION,
                CloudEventHeaders.SPEC_VERSION_1_0.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SOURCE, "/simanchor/identity-service".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, DeviceEnrolledV1.TYPE.getBytes(StandardCharsets.UTF_8));
        Properties properties = kafka.adminProperties("interop-enroll");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(TestRecordKeys.signed(new ProducerRecord<>(Topics.DEVICE_LIFECYCLE, null, deviceId,
                    JSON.writeValueAsString(new DeviceEnrolledV1(snapshot, Instant.now())), headers)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
