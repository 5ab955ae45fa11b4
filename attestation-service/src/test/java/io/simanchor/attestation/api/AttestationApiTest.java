package io.simanchor.attestation.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.attestation.domain.AttestationNonces;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.support.messaging.RecordVerifier;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;
import io.simanchor.support.testing.TestRecordKeys;

/**
 * The verifier end to end over HTTP, with its real PostgreSQL and Kafka: devices become known only
 * through {@code simanchor.device-lifecycle} events, and results leave on {@code simanchor.attestation-results}.
 */
@QuarkusTest
class AttestationApiTest {

    static final String MODEL = "tracker-x1";
    static final String VERSION = "4.2.0";
    static final String BOOT = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
    static final String EAT_JWT = "application/eat+jwt";

    static DeviceEvents lifecycle;
    static boolean referenceValuesProvisioned;

    /** A device known to the verifier, with its SIM key. */
    record Device(String id, EvidenceSigner sim, DeviceSnapshotV1 snapshot) {
    }

    @BeforeAll
    static void publisher() {
        lifecycle = new DeviceEvents();
    }

    @BeforeEach
    void referenceValues() {
        if (referenceValuesProvisioned) {
            return;
        }
        referenceValuesProvisioned = true;
        given().auth()
                .oauth2(TestOidcResource.token("pat", "policy-admin"))
                .contentType("application/json")
                .body(Map.of("measurements", List.of(Map.of("component", "boot", "alg", "sha-256", "digest", BOOT))))
                .put("/api/v1/admin/reference-values/{hwmodel}/{swversion}", MODEL, VERSION)
                .then()
                .statusCode(200);
    }

    @AfterAll
    static void closePublisher() {
        lifecycle.close();
    }

    static Device enrolledDevice() {
        String id = UUID.randomUUID().toString();
        EvidenceSigner sim = EvidenceSigner.p256();
        DeviceSnapshotV1 snapshot = DeviceEvents.snapshot(id, MODEL, sim.publicKey(), DeviceState.ACTIVE);
        lifecycle.enrolled(snapshot);
        Device device = new Device(id, sim, snapshot);
        // Known once the view has read the event: a challenge then evidence gets a result.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> post(device.sim().compact(claims(device, nonce(device)))).extract().statusCode() == 200);
        return device;
    }

    static String nonce(Device device) {
        return given().contentType("application/json")
                .body(Map.of("deviceId", device.id()))
                .post("/api/v1/attestation/challenges")
                .then()
                .statusCode(200)
                .extract()
                .path("nonce");
    }

    static EatEvidenceV1 claims(Device device, String nonce) {
        return new EatEvidenceV1(nonce, Ueid.of(device.id()), Instant.now().getEpochSecond(), MODEL,
                "tracker-firmware", VERSION, List.of(new MeasurementV1("boot", "sha-256", BOOT)), 3, true);
    }

    static ValidatableResponse post(String compact) {
        return given().contentType(EAT_JWT)
                .body(compact.getBytes(StandardCharsets.US_ASCII))
                .post("/api/v1/attestation/evidence")
                .then();
    }

    static void assertProblem(ValidatableResponse response, int status, String code) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://simanchor.io/problems/" + code.toLowerCase().replace('_', '-')));
    }

    @Test
    void genuine_evidence_gets_an_affirming_ear_signed_with_the_published_key_and_an_event() throws Exception {
        Device device = enrolledDevice();
        String nonce = nonce(device);
        try (KafkaEvents events = KafkaEvents.of(Topics.ATTESTATION_RESULTS)) {
            var body = post(device.sim().compact(claims(device, nonce))).statusCode(200)
                    .body("status", equalTo("affirming"))
                    .extract();

            JWSObject ear = JWSObject.parse(body.path("ear"));
            String jwks = given().get("/.well-known/simanchor/verification")
                    .then()
                    .statusCode(200)
                    .header("Cache-Control", "public, max-age=300")
                    .body("media-types[0]", equalTo(EAT_JWT))
                    .extract()
                    .asString();
            ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(ear.getHeader().getKeyID());
            assertThat(ear.verify(new ECDSAVerifier(key))).isTrue();
            assertThat(ear.getHeader().getType().getType()).isEqualTo("eat+jwt");
            Map<String, Object> claims = ear.getPayload().toJSONObject();
            assertThat(claims).containsEntry("eat_profile", "tag:github.com,2023:veraison/ear")
                    .containsEntry("eat_nonce", nonce)
                    .containsEntry("sub", device.id())
                    .containsEntry("cnf", Map.of("jkt", device.sim().publicKey().thumbprint()))
                    .containsKeys("iat", "exp", "ear.verifier-id");
            assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
                    .isEqualTo(3600);
            @SuppressWarnings("unchecked")
            Map<String, Object> submodule = (Map<String, Object>) ((Map<String, Object>) claims.get("submods"))
                    .get("device");
            assertThat(submodule).containsEntry("ear.status", "affirming")
                    .containsEntry("ear.appraisal-policy-id", "simanchor/default/v1")
                    .containsKey("ear.trustworthiness-vector");

            var published = events.awaitAtLeast(1,
                    event -> device.id().equals(event.key()) && event.value().contains(deviceIdMember(device)),
                    Duration.ofSeconds(10));
            assertThat(published.get(0).type()).isEqualTo("simanchor.attestation.appraised.v1");
        }
    }

    /** The {@code deviceId} member as it appears in every result event of {@code device}. */
    private static String deviceIdMember(Device device) {
        return "\"deviceId\":\"" + device.id() + "\"";
    }

    @Test
    void an_unknown_software_version_and_enabled_debugging_give_warnings_not_refusals() {
        Device device = enrolledDevice();
        EatEvidenceV1 genuine = claims(device, nonce(device));
        EatEvidenceV1 unreleased = new EatEvidenceV1(genuine.eatNonce(), genuine.ueid(), genuine.iat(), MODEL,
                genuine.swname(), "9.9.9-dev", genuine.measurements(), 3, true);
        post(device.sim().compact(unreleased)).statusCode(200).body("status", equalTo("warning"));

        EatEvidenceV1 fresh = claims(device, nonce(device));
        EatEvidenceV1 debugging = new EatEvidenceV1(fresh.eatNonce(), fresh.ueid(), fresh.iat(), MODEL,
                fresh.swname(), VERSION, fresh.measurements(), 0, true);
        post(device.sim().compact(debugging)).statusCode(200).body("status", equalTo("warning"));
    }

    @Test
    void a_replayed_nonce_is_refused_with_a_security_event() {
        Device device = enrolledDevice();
        String evidence = device.sim().compact(claims(device, nonce(device)));
        post(evidence).statusCode(200);
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            assertProblem(post(evidence), 409, "NONCE_REPLAYED");
            events.awaitAtLeast(1, event -> device.id().equals(event.key()) && event.value().contains("NONCE_REPLAYED"),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void hostile_headers_are_refused_with_their_reason() {
        Device device = enrolledDevice();
        EvidenceSigner sim = device.sim();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("none", "ALG_NOT_ALLOWED");
        cases.put("HS256", "ALG_NOT_ALLOWED");
        cases.put("ES384", "ALG_NOT_ALLOWED");
        cases.put("ES512", "ALG_NOT_ALLOWED");
        for (var entry : cases.entrySet()) {
            Map<String, Object> header = EvidenceSigner.header();
            header.put("alg", entry.getKey());
            assertProblem(post(sim.compact(header, claims(device, nonce(device)))), 400, entry.getValue());
        }
        for (String member : List.of("jwk", "jku", "x5c", "x5u")) {
            Map<String, Object> header = EvidenceSigner.header();
            header.put(member, member.equals("x5c") ? List.of("AAAA") : "https://attacker.example/key");
            assertProblem(post(sim.compact(header, claims(device, nonce(device)))), 400, "EMBEDDED_KEY_REFUSED");
        }
        Map<String, Object> crit = EvidenceSigner.header();
        crit.put("crit", List.of("exp"));
        assertProblem(post(sim.compact(crit, claims(device, nonce(device)))), 400, "CRIT_UNSUPPORTED");
        Map<String, Object> typ = EvidenceSigner.header();
        typ.put("typ", "JWT");
        assertProblem(post(sim.compact(typ, claims(device, nonce(device)))), 400, "TYP_INVALID");
    }

    @Test
    void hs256_with_the_public_key_as_secret_is_refused() throws Exception {
        Device device = enrolledDevice();
        Map<String, Object> header = EvidenceSigner.header();
        header.put("alg", "HS256");
        String unsigned = device.sim().compact(header, claims(device, nonce(device)));
        String signingInput = unsigned.substring(0, unsigned.lastIndexOf('.'));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(device.sim().publicKey().spki(), "HmacSHA256"));
        String forged = signingInput + "." + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertProblem(post(forged), 400, "ALG_NOT_ALLOWED");
    }

    @Test
    void malformed_bodies_are_refused_as_malformed_evidence() {
        Device device = enrolledDevice();
        String header = "{\"alg\":\"ES256\",\"typ\":\"eat+jwt\"}";
        String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        String nonce = nonce(device);
        String duplicate = "{\"eat_nonce\":\"" + nonce + "\",\"eat_nonce\":\"" + nonce + "\",\"ueid\":\""
                + Ueid.of(device.id()) + "\",\"iat\":" + Instant.now().getEpochSecond() + "}";
        for (String payload : List.of("not json at all", nested, duplicate, "[1,2,3]", "")) {
            assertProblem(post(device.sim().compactRaw(header, payload)), 400, "EVIDENCE_MALFORMED");
        }
        assertProblem(post("only.two"), 400, "EVIDENCE_MALFORMED");
    }

    /** Refused before parsing, and still each a security event like every refusal of evidence. */
    @Test
    void oversized_bodies_and_other_media_types_are_refused_before_parsing() {
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            assertProblem(given().contentType(EAT_JWT)
                    .body(new byte[17 * 1024])
                    .post("/api/v1/attestation/evidence")
                    .then(), 413, "BODY_TOO_LARGE");
            assertProblem(
                    given().contentType("application/json").body("{}").post("/api/v1/attestation/evidence").then(),
                    415, "UNSUPPORTED_MEDIA_TYPE");

            for (String reason : List.of("BODY_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE")) {
                events.awaitAtLeast(1, event -> "evidence".equals(event.key()) && event.value().contains(reason),
                        Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void nonces_from_another_device_expired_nonces_and_future_iat_are_refused() {
        Device device = enrolledDevice();
        Device other = enrolledDevice();
        assertProblem(post(device.sim().compact(claims(device, nonce(other)))), 400, "NONCE_INVALID");

        // A nonce that was issued with this deployment's key two minutes ago (TTL 60 s).
        byte[] macKey = Base64.getDecoder()
                .decode(ConfigProvider.getConfig()
                        .getValue("simanchor.attestation.nonce.mac-key", String.class));
        String expired = new AttestationNonces(macKey, new SecureRandom(),
                Clock.fixed(Instant.now().minusSeconds(120), ZoneOffset.UTC), Duration.ofSeconds(60))
                .issue(device.id())
                .nonce();
        assertProblem(post(device.sim().compact(claims(device, expired))), 400, "NONCE_EXPIRED");

        EatEvidenceV1 genuine = claims(device, nonce(device));
        EatEvidenceV1 future = new EatEvidenceV1(genuine.eatNonce(), genuine.ueid(),
                Instant.now().plusSeconds(600).getEpochSecond(), MODEL, genuine.swname(), VERSION,
                genuine.measurements(), 3, true);
        assertProblem(post(device.sim().compact(future)), 400, "IAT_IN_FUTURE");
    }

    @Test
    void evidence_of_an_unknown_device_or_signed_by_another_key_is_refused() {
        Device device = enrolledDevice();
        Device stranger = new Device(UUID.randomUUID().toString(), EvidenceSigner.p256(), null);
        assertProblem(post(stranger.sim().compact(claims(stranger, nonce(stranger)))), 404, "DEVICE_UNKNOWN");
        EvidenceSigner impostor = EvidenceSigner.p256();
        assertProblem(post(impostor.compact(claims(device, nonce(device)))), 400, "SIGNATURE_INVALID");
    }

    @Test
    void suspension_revocation_and_key_rotation_apply_within_five_seconds() {
        Device suspended = enrolledDevice();
        lifecycle.stateChanged(DeviceEvents.snapshot(suspended.id(), MODEL, suspended.sim().publicKey(),
                DeviceState.SUSPENDED), DeviceState.ACTIVE);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertProblem(post(suspended.sim().compact(claims(suspended, nonce(suspended)))),
                        403, "DEVICE_NOT_ACTIVE"));

        Device revoked = enrolledDevice();
        lifecycle.stateChanged(DeviceEvents.snapshot(revoked.id(), MODEL, revoked.sim().publicKey(),
                DeviceState.REVOKED), DeviceState.ACTIVE);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertProblem(post(revoked.sim().compact(claims(revoked, nonce(revoked)))),
                        403, "DEVICE_NOT_ACTIVE"));

        Device rotated = enrolledDevice();
        EvidenceSigner newSim = EvidenceSigner.p256();
        lifecycle.keyRotated(DeviceEvents.snapshot(rotated.id(), MODEL, newSim.publicKey(), DeviceState.ACTIVE),
                rotated.sim().publicKey().thumbprint());
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertProblem(post(rotated.sim().compact(claims(rotated, nonce(rotated)))),
                        400, "SIGNATURE_INVALID"));
        post(newSim.compact(claims(rotated, nonce(rotated)))).statusCode(200);
    }

    /**
     * Issue 28's attack: anyone who can write to the lifecycle topic (past its ACLs, say with a stolen
     * administrator credential) publishes the enrolled device's snapshot with the attacker's own key, or
     * an old genuine record of another device under its id. The view must not change, and each is reported.
     */
    @Test
    void a_lifecycle_record_identity_service_did_not_sign_changes_nothing_and_is_reported() {
        Device device = enrolledDevice();
        EvidenceSigner attacker = EvidenceSigner.p256();
        String forged = DeviceEvents.json(new DeviceEnrolledV1(
                DeviceEvents.snapshot(device.id(), MODEL, attacker.publicKey(), DeviceState.ACTIVE), Instant.now()));
        String otherDevice = DeviceEvents.json(new DeviceEnrolledV1(
                DeviceEvents.snapshot(UUID.randomUUID().toString(), MODEL, attacker.publicKey(), DeviceState.ACTIVE),
                Instant.now()));
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            // Unsigned; a genuine signature copied from another record; a genuine record filed under this
            // device's id; a tombstone.
            lifecycle.send(DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.id(), DeviceEnrolledV1.TYPE, forged));
            ProducerRecord<String, String> wrongKey = DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.id(),
                    DeviceEnrolledV1.TYPE, forged);
            wrongKey.headers()
                    .add(RecordVerifier.SIGNATURE_HEADER, TestRecordKeys.signature(otherDevice)
                            .getBytes(StandardCharsets.US_ASCII));
            lifecycle.send(wrongKey);
            lifecycle.send(TestRecordKeys.signed(DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.id(),
                    DeviceEnrolledV1.TYPE, otherDevice)));
            lifecycle.send(DeviceEvents.record(Topics.DEVICE_LIFECYCLE, device.id(), DeviceEnrolledV1.TYPE, null));

            assertThat(events.awaitAtLeast(4, event -> device.id().equals(event.key())
                    && event.value().contains("\"reasonCode\":\"RECORD_"), Duration.ofSeconds(10)))
                    .extracting(event -> event.value().replaceAll(".*\"reasonCode\":\"([A-Z_]+)\".*", "$1"))
                    .containsExactly("RECORD_UNSIGNED", "RECORD_SIGNATURE_INVALID", "RECORD_KEY_MISMATCH",
                            "RECORD_UNSIGNED");
        }
        assertProblem(post(attacker.compact(claims(device, nonce(device)))), 400, "SIGNATURE_INVALID");
        post(device.sim().compact(claims(device, nonce(device)))).statusCode(200);
    }

    /** A genuine record written to the topic again must not bring a revoked device back (issue 28). */
    @Test
    void a_replayed_lifecycle_record_does_not_bring_a_revoked_device_back_and_is_reported() {
        Device device = enrolledDevice();
        lifecycle.stateChanged(DeviceEvents.snapshot(device.id(), MODEL, device.sim().publicKey(),
                DeviceState.REVOKED, 2), DeviceState.ACTIVE);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertProblem(post(device.sim().compact(claims(device, nonce(device)))), 403,
                        "DEVICE_NOT_ACTIVE"));

        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            lifecycle.enrolled(device.snapshot());
            events.awaitAtLeast(1, event -> device.id().equals(event.key())
                    && event.value().contains("\"reasonCode\":\"RECORD_REPLAYED\""), Duration.ofSeconds(10));
        }
        assertProblem(post(device.sim().compact(claims(device, nonce(device)))), 403, "DEVICE_NOT_ACTIVE");
    }

    @Test
    void an_unreadable_lifecycle_record_is_skipped_and_the_view_keeps_reading() {
        lifecycle.garbage(UUID.randomUUID().toString());
        enrolledDevice();
    }

    /** A record for the device that cannot be read (say, a state a newer producer added) fails closed. */
    @Test
    void a_device_whose_latest_lifecycle_record_is_unreadable_gets_nothing() {
        Device device = enrolledDevice();

        lifecycle.garbage(device.id());

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertProblem(post(device.sim().compact(claims(device, nonce(device)))), 404,
                        "DEVICE_UNKNOWN"));
    }

    @Test
    void a_challenge_for_an_implausible_device_id_is_malformed() {
        assertProblem(given().contentType("application/json")
                .body(Map.of("deviceId", "x".repeat(65)))
                .post("/api/v1/attestation/challenges")
                .then(), 400, "MALFORMED_REQUEST");
        assertProblem(given().contentType("application/json")
                .body("{\"deviceId\":\"a\",\"extra\":1}")
                .post("/api/v1/attestation/challenges")
                .then(), 400, "UNKNOWN_FIELD");
    }
}
