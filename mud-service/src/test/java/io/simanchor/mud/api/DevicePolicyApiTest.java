package io.simanchor.mud.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.Topics;
import io.simanchor.mud.testing.MudFiles;
import io.simanchor.mud.testing.TestDevices;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.DeviceEvents;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;
import io.simanchor.support.testing.TestVerifierKeys;

/**
 * The MUD manager against real Kafka and PostgreSQL: devices and appraisals arrive as events, each device's
 * effective policy leaves on {@code simanchor.mud-policies} within 5 s and follows its attested state.
 */
@QuarkusTest
class DevicePolicyApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final String TRACKER = "tracker-x1";
    private static final ObjectMapper JSON = new ObjectMapper();

    static DeviceEvents events;

    @BeforeAll
    static void setUp() {
        events = new DeviceEvents();
    }

    /** The tracker's MUD file is stored (uploading it again changes nothing). */
    private static void trackerFileStored() {
        given().auth()
                .oauth2(TestOidcResource.token("pat", "policy-admin"))
                .contentType("application/mud+json")
                .body(MudFiles.demo(TRACKER).getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.DEMO_MANUFACTURER, TRACKER)
                .then()
                .statusCode(oneOf(200, 201));
    }

    @AfterAll
    static void tearDown() {
        events.close();
    }

    private static RequestSpecification auditor() {
        return given().auth().oauth2(TestOidcResource.token("pat", "auditor"));
    }

    private static DeviceSnapshotV1 tracker(EcPublicKey key, DeviceState state, String id) {
        trackerFileStored();
        return TestDevices.snapshot(id, MudFiles.DEMO_MANUFACTURER, TRACKER, key, state);
    }

    /** The next policy published for {@code deviceId} with {@code tier}, read from Kafka, within 5 s. */
    private static JsonNode awaitPolicy(KafkaEvents policies, String deviceId, String tier) throws Exception {
        return awaitPolicy(policies, deviceId, tier, "");
    }

    /** The policy published for {@code deviceId} with {@code tier} and {@code reason}, within 5 s. */
    private static JsonNode awaitPolicy(KafkaEvents policies, String deviceId, String tier, String reason)
            throws Exception {
        return awaitPolicy(policies, deviceId, tier, reason, 0);
    }

    /** The policy published for {@code deviceId} with {@code tier} and {@code reason} after {@code version}. */
    private static JsonNode awaitPolicy(KafkaEvents policies, String deviceId, String tier, String reason,
            long afterVersion) throws Exception {
        List<KafkaEvents.Event> matches = policies.awaitAtLeast(1, event -> Topics.MUD_POLICIES.equals(event.topic())
                && deviceId.equals(event.key()) && event.value().contains("\"tier\":\"" + tier + "\"")
                && event.value().contains(reason) && version(event) > afterVersion, WITHIN);
        return JSON.readTree(matches.get(matches.size() - 1).value());
    }

    private static long version(KafkaEvents.Event event) {
        try {
            return JSON.readTree(event.value()).get("version").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_policy_follows_the_devices_attested_state() throws Exception {
        String id = TestDevices.newId();
        EcPublicKey key = TestDevices.newKey();
        DeviceSnapshotV1 device = tracker(key, DeviceState.ACTIVE, id);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(device);
            JsonNode unattested = awaitPolicy(policies, id, "quarantine");
            assertThat(unattested.get("reasons").toString()).contains("NOT_ATTESTED");
            assertThat(unattested.get("rules").findValuesAsText("name")).containsExactly("platform:attestation",
                    "platform:update");

            events.appraised(TestDevices.appraisal(device, "affirming"));
            JsonNode affirming = awaitPolicy(policies, id, "mud");
            assertThat(affirming.at("/basis/mudUrl").asText())
                    .isEqualTo(MudFiles.URLS.fileUrl(MudFiles.DEMO_MANUFACTURER, TRACKER));
            assertThat(affirming.get("rules").findValuesAsText("name")).contains("mud-tracker-x1-v4fr/telemetry",
                    "mud-tracker-x1-v4fr/fleet-peers", "mud-tracker-x1-v4to/telemetry-replies");
            assertThat(affirming.at("/rules/2/peerGroup/selector").asText()).isEqualTo(MudFiles.DEMO_MANUFACTURER);

            events.appraised(TestDevices.appraisal(device, "warning"));
            JsonNode warning = awaitPolicy(policies, id, "platform-only");
            assertThat(warning.get("rules")).hasSize(5);

            events.appraised(TestDevices.appraisal(device, "contraindicated"));
            JsonNode quarantined = awaitPolicy(policies, id, "quarantine", "ATTESTATION_CONTRAINDICATED");
            assertThat(quarantined.get("reasons").toString()).contains("ATTESTATION_CONTRAINDICATED");

            events.stateChanged(tracker(key, DeviceState.REVOKED, id), DeviceState.ACTIVE);
            JsonNode revoked = awaitPolicy(policies, id, "deny-all");
            assertThat(revoked.get("rules")).isEmpty();
            assertThat(revoked.get("reasons").toString()).contains("DEVICE_REVOKED");
            assertThat(revoked.get("version").asLong()).isEqualTo(5);
        }
        auditor().get("/api/v1/admin/devices/{id}/policy", id)
                .then()
                .statusCode(200)
                .body("tier", equalTo("deny-all"))
                .body("basis.deviceState", equalTo("REVOKED"))
                .body("version", equalTo(5));
    }

    /**
     * Issue 28: the tier follows only an EAR the verifier signed. A result with no EAR, with an EAR signed
     * by another key, or with a genuine EAR of another device filed under this one grants nothing, and each
     * is a security event; the device stays in quarantine until a genuine affirming result comes.
     */
    @Test
    void only_a_result_whose_ear_the_verifier_signed_changes_the_tier() throws Exception {
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = tracker(TestDevices.newKey(), DeviceState.ACTIVE, id);
        AttestationResultV1 genuine = TestDevices.appraisal(device, "affirming");
        Instant now = Instant.now();
        String forgedEar = TestVerifierKeys.ear(new ECKeyGenerator(Curve.P_256).keyID("attacker").generate(), id,
                "affirming", device.keyThumbprint(), now, now.plusSeconds(3600));
        String otherDevicesEar = TestVerifierKeys.ear(TestDevices.newId(), "affirming", device.keyThumbprint(), now,
                now.plusSeconds(3600));
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES);
                KafkaEvents security = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.enrolled(device);
            awaitPolicy(policies, id, "quarantine");

            events.appraised(withEar(genuine, null));
            events.appraised(withEar(genuine, forgedEar));
            events.appraised(withEar(genuine, otherDevicesEar));

            assertThat(security.awaitAtLeast(3, event -> id.equals(event.key()), Duration.ofSeconds(10)))
                    .extracting(event -> JSON.readTree(event.value()).get("reasonCode").asText())
                    .containsExactly("RECORD_EAR_MISSING", "RECORD_EAR_INVALID", "RECORD_KEY_MISMATCH");
            assertThat(policies.drain(Duration.ofSeconds(1)).stream().filter(event -> id.equals(event.key())))
                    .allSatisfy(event -> assertThat(event.value()).contains("\"tier\":\"quarantine\""));

            events.appraised(genuine);
            awaitPolicy(policies, id, "mud");
        }
    }

    private static AttestationResultV1 withEar(AttestationResultV1 result, String ear) {
        return new AttestationResultV1(result.deviceId(), result.tenantId(), result.status(),
                result.trustworthinessVector(), result.policyId(), result.hwModel(), result.swVersion(),
                result.reasonCodes(), result.keyThumbprint(), result.appraisedAt(), result.expiresAt(), ear);
    }

    @Test
    void the_same_state_again_publishes_nothing_new() throws Exception {
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = tracker(TestDevices.newKey(), DeviceState.ACTIVE, id);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(device);
            events.appraised(TestDevices.appraisal(device, "affirming"));
            long version = awaitPolicy(policies, id, "mud").get("version").asLong();
            events.appraised(TestDevices.appraisal(device, "affirming"));
            events.enrolled(device);
            List<KafkaEvents.Event> published = policies.drain(Duration.ofSeconds(2))
                    .stream()
                    .filter(event -> id.equals(event.key()))
                    .toList();
            assertThat(published).extracting(event -> JSON.readTree(event.value()).get("version").asLong())
                    .doesNotHaveDuplicates()
                    .last()
                    .isEqualTo(version);
        }
    }

    @Test
    void a_key_rotation_needs_a_new_attestation() throws Exception {
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = tracker(TestDevices.newKey(), DeviceState.ACTIVE, id);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(device);
            events.appraised(TestDevices.appraisal(device, "affirming"));
            awaitPolicy(policies, id, "mud");
            DeviceSnapshotV1 rotated = tracker(TestDevices.newKey(), DeviceState.ACTIVE, id);
            events.keyRotated(rotated, device.keyThumbprint());
            JsonNode policy = awaitPolicy(policies, id, "quarantine", "NOT_ATTESTED");
            long quarantined = policy.get("version").asLong();
            // An appraisal of the old key changes nothing any more.
            events.appraised(TestDevices.appraisal(device, "affirming"));
            events.appraised(TestDevices.appraisal(rotated, "affirming"));
            assertThat(awaitPolicy(policies, id, "mud", "", quarantined).get("version").asLong())
                    .isEqualTo(quarantined + 1);
        }
    }

    @Test
    void a_model_without_a_mud_file_gets_the_default_and_a_warning_event() throws Exception {
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = TestDevices.snapshot(id, MudFiles.DEMO_MANUFACTURER, "no-file-model",
                TestDevices.newKey(), DeviceState.ACTIVE);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES, Topics.SECURITY_EVENTS)) {
            events.enrolled(device);
            events.appraised(TestDevices.appraisal(device, "affirming"));
            JsonNode policy = awaitPolicy(policies, id, "no-mud-file");
            assertThat(policy.get("rules")).as(policy.toString()).isEmpty();
            assertThat(policy.get("reasons").toString()).contains("MUD_FILE_MISSING");
            policies.awaitAtLeast(1, event -> Topics.SECURITY_EVENTS.equals(event.topic()) && id.equals(event.key())
                    && event.value().contains("MUD_FILE_MISSING"), WITHIN);
        }
    }

    @Test
    void a_new_mud_file_version_reaches_the_models_devices() throws Exception {
        String model = "tracker-v2-" + TestDevices.newId().substring(0, 8);
        String file = MudFiles.demo(TRACKER).replace("/tracker-x1.", "/" + model + ".");
        given().auth()
                .oauth2(TestOidcResource.token("pat", "policy-admin"))
                .contentType("application/mud+json")
                .body(file)
                .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.DEMO_MANUFACTURER, model)
                .then()
                .statusCode(201);
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = TestDevices.snapshot(id, MudFiles.DEMO_MANUFACTURER, model, TestDevices.newKey(),
                DeviceState.ACTIVE);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(device);
            events.appraised(TestDevices.appraisal(device, "affirming"));
            assertThat(awaitPolicy(policies, id, "mud").at("/basis/mudFileVersion").asInt()).isEqualTo(1);

            String newer = file.replace("2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
                    .replace("\"port\": 123",
                            "\"port\": 4123");
            given().auth()
                    .oauth2(TestOidcResource.token("pat", "policy-admin"))
                    .contentType("application/mud+json")
                    .body(newer)
                    .put("/api/v1/admin/mud/{manufacturer}/{model}", MudFiles.DEMO_MANUFACTURER, model)
                    .then()
                    .statusCode(201);
            policies.awaitAtLeast(1, event -> id.equals(event.key()) && event.value().contains("\"mudFileVersion\":2")
                    && event.value().contains("4123"), WITHIN);
        }
    }

    @Test
    void the_policy_renders_as_an_nftables_ruleset_for_the_gateway() throws Exception {
        String id = TestDevices.newId();
        DeviceSnapshotV1 device = tracker(TestDevices.newKey(), DeviceState.ACTIVE, id);
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(device);
            awaitPolicy(policies, id, "quarantine");
        }
        auditor().get("/api/v1/admin/devices/{id}/policy.nft?address=10.64.0.2", id)
                .then()
                .statusCode(200)
                .contentType("text/plain")
                .body(containsString("ip saddr 10.64.0.2 jump from_device"))
                // attestation.simanchor.local resolves from the test's static host entries
                .body(containsString("ip daddr { 192.0.2.10 } tcp dport 443 accept"));
        auditor().get("/api/v1/admin/devices/{id}/policy.nft?address=example.com", id)
                .then()
                .statusCode(400)
                .body("code", equalTo("DEVICE_ADDRESS_INVALID"));
        auditor().get("/api/v1/admin/devices/{id}/policy.nft", id).then().statusCode(400);
        auditor().get("/api/v1/admin/devices/{id}/policy", TestDevices.newId())
                .then()
                .statusCode(404)
                .body("code", equalTo("DEVICE_POLICY_NOT_FOUND"));
        given().get("/api/v1/admin/devices/{id}/policy", id).then().statusCode(401);
    }

    @Test
    void an_operator_of_another_tenant_finds_no_policy_for_the_device() throws Exception {
        String id = TestDevices.newId();
        try (KafkaEvents policies = KafkaEvents.of(Topics.MUD_POLICIES)) {
            events.enrolled(tracker(TestDevices.newKey(), DeviceState.ACTIVE, id));
            awaitPolicy(policies, id, "quarantine");
        }
        String ownTenant = TestOidcResource.tenantToken("olga", "default", "auditor");
        String otherTenant = TestOidcResource.tenantToken("otto", "globex", "auditor");

        given().auth().oauth2(ownTenant).get("/api/v1/admin/devices/{id}/policy", id).then().statusCode(200);
        for (String path : new String[]{"/policy", "/policy.nft?address=10.64.0.2"}) {
            given().auth()
                    .oauth2(otherTenant)
                    .get("/api/v1/admin/devices/{id}" + path, id)
                    .then()
                    .statusCode(404)
                    .body("code", equalTo("DEVICE_POLICY_NOT_FOUND"));
        }
    }
}
