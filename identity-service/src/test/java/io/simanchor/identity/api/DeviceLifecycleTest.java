package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.api.EnrollmentTest.assertProblem;
import static io.simanchor.identity.testing.IdentityApi.givenEnrolled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.domain.Device;
import io.simanchor.identity.domain.DeviceStore;
import io.simanchor.identity.domain.KeyRotationService;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.PostgresTestResource;
import io.simanchor.support.testing.TestOidcResource;

/** Operators suspend, resume and revoke devices; devices rotate their own keys. All audited and published. */
@QuarkusTest
class DeviceLifecycleTest {

    @Inject
    DataSource dataSource;

    @Inject
    DeviceStore devices;

    @Test
    void suspend_resume_revoke_are_published_and_audited_with_the_actor() throws SQLException {
        String deviceId = givenEnrolled(TestDevice.p256());

        action(deviceId, "suspend", "lost in transit").statusCode(200).body("state", is("SUSPENDED"));
        action(deviceId, "resume", "found").statusCode(200).body("state", is("ACTIVE"));
        action(deviceId, "revoke", "decommissioned").statusCode(200).body("state", is("REVOKED"));
        assertProblem(action(deviceId, "resume", "oops"), 409, "STATE_TRANSITION_INVALID");

        try (KafkaEvents events = KafkaEvents.of(Topics.DEVICE_LIFECYCLE)) {
            List<KafkaEvents.Event> changes = events.awaitAtLeast(3,
                    e -> deviceId.equals(e.key()) && DeviceStateChangedV1.TYPE.equals(e.type()),
                    Duration.ofSeconds(20));
            assertThat(changes).extracting(KafkaEvents.Event::value)
                    .anySatisfy(v -> assertThat(v).contains("\"state\":\"SUSPENDED\"").contains("\"actor\":\"alice\""))
                    .anySatisfy(v -> assertThat(v).contains("\"state\":\"REVOKED\"").contains("decommissioned"));
            // Each change one revision on from the enrollment's 1, so a reader can refuse a replayed older one.
            assertThat(changes).extracting(e -> e.value().replaceAll(".*\"revision\":(\\d+).*", "$1"))
                    .containsExactly("2", "3", "4");
        }
        assertThat(auditActions(deviceId)).containsExactly("device.enrolled", "device.state-changed",
                "device.state-changed", "device.state-changed");
        assertThat(auditActors(deviceId)).contains("alice");
    }

    @Test
    void devices_can_be_read_and_listed_by_auditors_with_filters_and_paging() {
        String deviceId = givenEnrolled(TestDevice.p256());
        String auditor = TestOidcResource.token("carol", "auditor");
        given().auth()
                .oauth2(auditor)
                .get("/api/v1/admin/devices/" + deviceId)
                .then()
                .statusCode(200)
                .body("deviceId", is(deviceId))
                .body("state", is("ACTIVE"))
                .body("curve", is("P-256"));
        given().auth()
                .oauth2(auditor)
                .get("/api/v1/admin/devices?state=active&hwModel=tracker-x1&pageSize=500")
                .then()
                .statusCode(200)
                .body("devices.deviceId", hasItem(deviceId));
        String first = given().auth()
                .oauth2(auditor)
                .get("/api/v1/admin/devices?pageSize=1")
                .then()
                .statusCode(200)
                .extract()
                .path("nextPageToken");
        given().auth()
                .oauth2(auditor)
                .get("/api/v1/admin/devices?pageSize=1&pageToken=" + first)
                .then()
                .statusCode(200)
                .body("devices.deviceId", org.hamcrest.Matchers.not(hasItem(first)));
        assertProblem(given().auth()
                .oauth2(auditor)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/admin/devices/" + deviceId + "/suspend")
                .then(),
                403, "FORBIDDEN");
        assertProblem(given().auth().oauth2(auditor).get("/api/v1/admin/devices/nope").then(), 404,
                "DEVICE_NOT_FOUND");
        assertProblem(given().auth().oauth2(auditor).get("/api/v1/admin/devices?pageSize=0").then(), 400,
                "INVALID_FIELD");
        assertProblem(given().auth().oauth2(auditor).get("/api/v1/admin/devices?pageSize=abc").then(), 400,
                "INVALID_FIELD");
    }

    @Test
    void device_rotates_its_key_with_proof_from_the_current_key() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        String oldThumbprint = device.publicKey().thumbprint();
        KeyPair oldKey = device.replaceKey();

        IdentityApi.Challenge challenge = rotationChallenge(deviceId);
        byte[] csr = device.csrDer(challenge.nonce());
        String proof = java.util.Base64.getEncoder()
                .encodeToString(
                        TestDevice.sign(oldKey, KeyRotationService.proofMessage(challenge.nonce(), csr)));
        rotate(deviceId, challenge, TestDevice.pem(csr), proof).statusCode(200).body("deviceId", is(deviceId));

        given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .get("/api/v1/admin/devices/" + deviceId)
                .then()
                .body("keyThumbprint", is(device.publicKey().thumbprint()));
        try (KafkaEvents events = KafkaEvents.of(Topics.DEVICE_LIFECYCLE)) {
            KafkaEvents.Event rotated = events.awaitAtLeast(1,
                    e -> deviceId.equals(e.key()) && DeviceKeyRotatedV1.TYPE.equals(e.type()), Duration.ofSeconds(20))
                    .get(0);
            assertThat(rotated.value()).contains("\"previousKeyThumbprint\":\"" + oldThumbprint + "\"");
        }

        // The retired key can never be enrolled again, for this device or another.
        TestDevice thief = TestDevice.withKeyPair(oldKey);
        IdentityApi.givenRegistered(thief);
        IdentityApi.Challenge enrollment = IdentityApi.Challenge.of(IdentityApi.challenge(thief.iccid()));
        assertProblem(IdentityApi.enroll(enrollment.id(), thief.csr(enrollment.nonce())), 409, "KEY_REUSE_DETECTED");
    }

    @Test
    void a_state_change_read_before_a_key_rotation_does_not_publish_the_retired_key() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        Device readBefore = devices.findById(deviceId).orElseThrow();
        rotateToNewKey(device, deviceId);

        boolean applied = changeFrom(readBefore, DeviceState.SUSPENDED);

        assertThat(applied).as("refused: the snapshot carries the retired key").isFalse();
        assertThat(devices.findById(deviceId).orElseThrow().state()).isEqualTo(DeviceState.ACTIVE);
    }

    @Test
    void a_state_change_read_before_other_changes_is_refused_even_when_they_led_back_to_its_state() {
        String deviceId = givenEnrolled(TestDevice.p256());
        Device readBefore = devices.findById(deviceId).orElseThrow();
        action(deviceId, "suspend", "maintenance").statusCode(200);
        action(deviceId, "resume", "done").statusCode(200);

        boolean applied = changeFrom(readBefore, DeviceState.REVOKED);

        assertThat(applied).as("refused: its snapshot's revision (2) is one the device already had").isFalse();
        Device current = devices.findById(deviceId).orElseThrow();
        assertThat(current.state()).isEqualTo(DeviceState.ACTIVE);
        assertThat(current.revision()).isEqualTo(3);
    }

    /** Changes the ACTIVE device to {@code target} from a copy read earlier, straight through the store. */
    private boolean changeFrom(Device readBefore, DeviceState target) {
        Device changed = readBefore.withState(target);
        Instant now = Instant.now();
        return devices.changeState(changed, DeviceState.ACTIVE,
                new DeviceStateChangedV1(changed.snapshot(), DeviceState.ACTIVE, "", "test", now),
                new AuditEntry(now, "test", "device.state-changed", readBefore.tenantId(), readBefore.id(),
                        Map.of()));
    }

    @Test
    void an_enrollment_answered_again_is_audited_and_only_for_the_current_key_of_an_active_device()
            throws SQLException {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        IdentityApi.Challenge again = IdentityApi.Challenge.of(IdentityApi.challenge(device.iccid()));
        IdentityApi.enroll(again.id(), device.csr(again.nonce())).statusCode(201).body("deviceId", is(deviceId));
        assertThat(auditActions(deviceId)).containsExactly("device.enrolled", "device.enrollment-repeated");

        TestDevice withRetiredKey = device.cloneKeyTo(device);
        rotateToNewKey(device, deviceId);

        IdentityApi.Challenge retired = IdentityApi.Challenge.of(IdentityApi.challenge(device.iccid()));
        assertProblem(IdentityApi.enroll(retired.id(), withRetiredKey.csr(retired.nonce())), 409,
                "ALREADY_ENROLLED");
        IdentityApi.Challenge current = IdentityApi.Challenge.of(IdentityApi.challenge(device.iccid()));
        IdentityApi.enroll(current.id(), device.csr(current.nonce())).statusCode(201).body("deviceId", is(deviceId));

        action(deviceId, "revoke", "stolen").statusCode(200);
        IdentityApi.Challenge revoked = IdentityApi.Challenge.of(IdentityApi.challenge(device.iccid()));
        assertProblem(IdentityApi.enroll(revoked.id(), device.csr(revoked.nonce())), 409, "ALREADY_ENROLLED");
    }

    @Test
    void a_rotation_challenge_serves_one_rotation_of_its_own_device_and_no_enrollment() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        TestDevice other = TestDevice.p256();
        String otherId = givenEnrolled(other);
        KeyPair oldKey = device.replaceKey();
        IdentityApi.Challenge challenge = rotationChallenge(deviceId);
        byte[] csr = device.csrDer(challenge.nonce());
        String proof = java.util.Base64.getEncoder()
                .encodeToString(TestDevice.sign(oldKey, KeyRotationService.proofMessage(challenge.nonce(), csr)));

        assertProblem(IdentityApi.enroll(challenge.id(), TestDevice.pem(csr)), 400, "CHALLENGE_INVALID");
        assertProblem(rotate(otherId, challenge, TestDevice.pem(csr), proof), 400, "CHALLENGE_INVALID");
        rotate(deviceId, challenge, TestDevice.pem(csr), proof).statusCode(200);
        assertProblem(rotate(deviceId, challenge, TestDevice.pem(csr), proof), 400, "CHALLENGE_INVALID");
    }

    @Test
    void key_rotation_without_the_current_key_is_refused() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        device.replaceKey();
        IdentityApi.Challenge challenge = rotationChallenge(deviceId);
        byte[] csr = device.csrDer(challenge.nonce());
        String forged = device.signBase64(KeyRotationService.proofMessage(challenge.nonce(), csr));
        assertProblem(rotate(deviceId, challenge, TestDevice.pem(csr), forged), 400, "ROTATION_PROOF_INVALID");
    }

    @Test
    void suspended_device_cannot_rotate_its_key() {
        String deviceId = givenEnrolled(TestDevice.p256());
        action(deviceId, "suspend", "").statusCode(200);
        assertProblem(given().post("/api/v1/devices/" + deviceId + "/key-rotation/challenges").then(), 409,
                "DEVICE_NOT_ACTIVE");
    }

    @Test
    void a_nul_character_in_a_value_is_the_requests_fault_not_a_database_outage() {
        // PostgreSQL cannot store U+0000 in text; it reached the database as an id and was answered 503.
        ValidatableResponse unauthenticated = given().urlEncodingEnabled(false)
                .post("/api/v1/devices/%00/key-rotation/challenges")
                .then();
        assertProblem(unauthenticated, 400, "INVALID_VALUE");
        unauthenticated.header("Retry-After", is((String) null));
        assertProblem(given().auth()
                .oauth2(TestOidcResource.token("carol", "auditor"))
                .urlEncodingEnabled(false)
                .get("/api/v1/admin/devices?hwModel=tracker%00x1")
                .then(), 400, "INVALID_VALUE");
    }

    @Test
    void audit_log_refuses_updates_and_deletes_even_to_its_owner() throws SQLException {
        givenEnrolled(TestDevice.p256());
        // The service's own role may not even try (DatabasePrivilegesTest); the trigger stops the owner too.
        try (Connection connection = PostgresTestResource.server().dataSource("identity", "owner").getConnection()) {
            connection.setSchema("identity");
            for (String sql : List.of("update audit_log set actor = 'mallory'", "delete from audit_log",
                    "truncate audit_log")) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(statement::executeUpdate)
                            .hasMessageContaining("append-only");
                }
            }
        }
    }

    /** Gives the device a new key and rotates to it, with the proof signed by the old one. */
    private static void rotateToNewKey(TestDevice device, String deviceId) {
        KeyPair oldKey = device.replaceKey();
        IdentityApi.Challenge challenge = rotationChallenge(deviceId);
        byte[] csr = device.csrDer(challenge.nonce());
        String proof = java.util.Base64.getEncoder()
                .encodeToString(TestDevice.sign(oldKey, KeyRotationService.proofMessage(challenge.nonce(), csr)));
        rotate(deviceId, challenge, TestDevice.pem(csr), proof).statusCode(200);
    }

    private static IdentityApi.Challenge rotationChallenge(String deviceId) {
        return IdentityApi.Challenge.of(
                given().post("/api/v1/devices/" + deviceId + "/key-rotation/challenges").then().statusCode(201));
    }

    private static ValidatableResponse rotate(String deviceId, IdentityApi.Challenge challenge, String csr,
            String proof) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("challengeId", challenge.id(), "csr", csr, "proof", proof))
                .post("/api/v1/devices/" + deviceId + "/key-rotations")
                .then();
    }

    private static ValidatableResponse action(String deviceId, String action, String reason) {
        return given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post("/api/v1/admin/devices/" + deviceId + "/" + action)
                .then();
    }

    private List<String> auditActions(String deviceId) throws SQLException {
        return auditColumn("action", deviceId);
    }

    private List<String> auditActors(String deviceId) throws SQLException {
        return auditColumn("actor", deviceId);
    }

    private List<String> auditColumn(String column, String deviceId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("select " + column + " from audit_log where subject = ? order by id")) {
            select.setString(1, deviceId);
            List<String> values = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
