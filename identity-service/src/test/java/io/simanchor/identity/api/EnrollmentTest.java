package io.simanchor.identity.api;

import static io.restassured.RestAssured.given;
import static io.simanchor.identity.testing.IdentityApi.challenge;
import static io.simanchor.identity.testing.IdentityApi.enroll;
import static io.simanchor.identity.testing.IdentityApi.givenEnrolled;
import static io.simanchor.identity.testing.IdentityApi.givenRegistered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.testing.IdentityApi;
import io.simanchor.identity.testing.IdentityApi.Challenge;
import io.simanchor.identity.testing.TestClock;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.TestOidcResource;

/** Enrollment over REST: the happy path, and every way a device or an attacker can get it wrong. */
@QuarkusTest
class EnrollmentTest {

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void registered_device_enrolls_and_gets_a_certificate_with_its_mud_url() throws Exception {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);

        Challenge challenge = Challenge.of(challenge(device.iccid()).statusCode(201));
        var response = enroll(challenge.id(), device.csr(challenge.nonce()))
                .statusCode(201)
                .body("mudUrl", is("https://mud.simanchor.local/mud/Acme%20Devices/tracker-x1.json"));
        String deviceId = response.extract().path("deviceId");
        List<X509Certificate> chain = certificates(response.extract().path("certificateChain"));

        X509Certificate certificate = chain.get(0);
        assertThat(chain).hasSize(3);
        certificate.verify(chain.get(1).getPublicKey());
        chain.get(1).verify(chain.get(2).getPublicKey());
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(device.keys().getPublic().getEncoded());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + deviceId)
                .doesNotContain(device.iccid());
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getSubjectAlternativeNames())
                .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("urn:simanchor:device:default:" + deviceId));
        assertThat(mudUrlExtension(certificate))
                .isEqualTo("https://mud.simanchor.local/mud/Acme%20Devices/tracker-x1.json");
    }

    @Test
    void enrollment_publishes_device_enrolled_with_cloudevents_headers() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);

        try (KafkaEvents events = KafkaEvents.of(Topics.DEVICE_LIFECYCLE)) {
            KafkaEvents.Event event = events.awaitAtLeast(1, e -> deviceId.equals(e.key()), Duration.ofSeconds(20))
                    .get(0);
            assertThat(event.type()).isEqualTo(DeviceEnrolledV1.TYPE);
            assertThat(event.id()).isNotBlank();
            assertThat(event.value()).contains("\"keyThumbprint\":\"" + device.publicKey().thumbprint() + "\"")
                    .contains("\"state\":\"ACTIVE\"")
                    .contains("\"endorsed\":true");
        }
    }

    @Test
    void brainpool_keys_are_accepted() {
        givenEnrolled(TestDevice.brainpool());
    }

    @Test
    void replayed_challenge_is_rejected_and_raises_a_security_event() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        enroll(challenge.id(), device.csr(challenge.nonce())).statusCode(201);

        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1, e -> challenge.id().equals(e.key()) && e.value().contains("\"why\":\"replayed\""),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void unknown_iccid_gets_a_challenge_that_leads_nowhere_and_is_used_up() {
        TestDevice stranger = TestDevice.p256();
        Challenge challenge = Challenge.of(challenge(stranger.iccid()).statusCode(201));
        assertProblem(enroll(challenge.id(), stranger.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            events.awaitAtLeast(1,
                    e -> challenge.id().equals(e.key()) && e.value().contains("\"why\":\"unknown-iccid\""),
                    Duration.ofSeconds(20));
        }

        // Registered afterwards, within the challenge's lifetime: the refused challenge stays refused.
        givenRegistered(stranger);
        assertProblem(enroll(challenge.id(), stranger.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
    }

    @Test
    void a_bad_signature_is_refused_alike_for_known_and_unknown_iccids() {
        TestDevice known = TestDevice.p256();
        givenRegistered(known);
        TestDevice stranger = TestDevice.p256();
        for (TestDevice device : List.of(known, stranger)) {
            Challenge challenge = Challenge.of(challenge(device.iccid()));
            byte[] der = device.csrDer(challenge.nonce());
            der[der.length - 5] ^= 0x01;
            assertProblem(enroll(challenge.id(), TestDevice.pem(der)), 400, "CSR_SIGNATURE_INVALID");
        }
    }

    @Test
    void expired_challenge_is_rejected() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        clock.advance(Duration.ofSeconds(61));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400, "CHALLENGE_EXPIRED");
    }

    @Test
    void csr_answering_another_nonce_is_rejected() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), device.csr("not-the-nonce")), 400, "CHALLENGE_MISMATCH");
    }

    @Test
    void csr_without_challenge_password_is_rejected() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), device.csr(null)), 400, "CHALLENGE_MISMATCH");
    }

    @Test
    void csr_with_a_broken_signature_is_rejected_and_nothing_is_stored() throws SQLException {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        byte[] der = device.csrDer(challenge.nonce());
        der[der.length - 5] ^= 0x01;
        long before = count("device");

        assertProblem(enroll(challenge.id(), TestDevice.pem(der)), 400, "CSR_SIGNATURE_INVALID");
        assertThat(count("device")).isEqualTo(before);
    }

    @Test
    void a_challenge_refused_for_a_bad_signature_is_used_up() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        byte[] der = device.csrDer(challenge.nonce());
        der[der.length - 5] ^= 0x01;
        assertProblem(enroll(challenge.id(), TestDevice.pem(der)), 400, "CSR_SIGNATURE_INVALID");

        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400, "CHALLENGE_INVALID");
    }

    @Test
    void issuing_challenges_stores_nothing() throws SQLException {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        long before = count("used_challenge");

        for (int i = 0; i < 5; i++) {
            challenge(device.iccid()).statusCode(201);
            challenge(TestDevice.p256().iccid()).statusCode(201);
        }

        assertThat(count("used_challenge")).isEqualTo(before);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        enroll(challenge.id(), device.csr(challenge.nonce())).statusCode(201);
        assertThat(count("used_challenge")).isEqualTo(before + 1);
    }

    @Test
    void a_challenge_moved_to_another_iccid_is_not_answered_by_its_nonce() {
        TestDevice victim = TestDevice.p256();
        givenRegistered(victim);
        TestDevice attacker = TestDevice.p256();
        givenRegistered(attacker);
        Challenge own = Challenge.of(challenge(attacker.iccid()));
        // The attacker rewrites the ICCID at the end of its own challenge id into the victim's.
        byte[] body = java.util.Base64.getUrlDecoder().decode(own.id());
        byte[] victimIccid = victim.iccid().getBytes(StandardCharsets.US_ASCII);
        byte[] moved = java.util.Arrays.copyOf(body, body.length - attacker.iccid().length() + victimIccid.length);
        System.arraycopy(victimIccid, 0, moved, body.length - attacker.iccid().length(), victimIccid.length);
        String movedId = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(moved);

        assertProblem(enroll(movedId, attacker.csr(own.nonce())), 400, "CHALLENGE_MISMATCH");
    }

    @Test
    void challenge_ids_that_are_not_ours_are_invalid() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        for (String id : List.of("00000000-0000-0000-0000-000000000000", "", "x".repeat(5_000), "AQAAAAAA")) {
            assertProblem(enroll(id, device.csr("anything")), 400, "CHALLENGE_INVALID");
        }
    }

    @Test
    void key_bound_to_another_device_is_rejected_with_409_and_a_security_event() {
        TestDevice first = TestDevice.p256();
        String firstId = givenEnrolled(first);
        TestDevice clone = first.cloneKeyTo(TestDevice.p256());
        givenRegistered(clone);
        Challenge challenge = Challenge.of(challenge(clone.iccid()));

        assertProblem(enroll(challenge.id(), clone.csr(challenge.nonce())), 409, "KEY_REUSE_DETECTED");
        try (KafkaEvents events = KafkaEvents.of(Topics.SECURITY_EVENTS)) {
            KafkaEvents.Event event = events.awaitAtLeast(1,
                    e -> firstId.equals(e.key()) && e.value().contains("KEY_REUSE_DETECTED"), Duration.ofSeconds(20))
                    .get(0);
            assertThat(event.type()).isEqualTo(SecurityEventV1.TYPE);
        }
    }

    @Test
    void key_other_than_the_endorsed_sim_key_is_rejected() {
        TestDevice device = TestDevice.p256();
        TestDevice other = TestDevice.p256();
        RegistrationAdminTest.givenVendorKey("default", "vendor-1");
        IdentityApiWithEndorsement.register(device, other, "default", "vendor-1").statusCode(201);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 403, "SIM_KEY_MISMATCH");
    }

    @Test
    void endorsed_sim_key_enrolls() {
        TestDevice device = TestDevice.p256();
        RegistrationAdminTest.givenVendorKey("default", "vendor-1");
        IdentityApiWithEndorsement.register(device, device, "default", "vendor-1").statusCode(201);
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        enroll(challenge.id(), device.csr(challenge.nonce())).statusCode(201);
    }

    @Test
    void a_device_whose_enrollment_answer_was_lost_gets_it_again_over_a_new_challenge_with_its_key() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        Challenge first = Challenge.of(challenge(device.iccid()));
        String answered = enroll(first.id(), device.csr(first.nonce())).statusCode(201).extract().asString();

        Challenge again = Challenge.of(challenge(device.iccid()));
        String repeated = enroll(again.id(), device.csr(again.nonce())).statusCode(201).extract().asString();

        assertThat(repeated).as("the same device id, certificate chain and MUD URL").isEqualTo(answered);
        assertProblem(enroll(again.id(), device.csr(again.nonce())), 400, "CHALLENGE_INVALID");
    }

    @Test
    void a_suspended_device_does_not_get_its_enrollment_again() {
        TestDevice device = TestDevice.p256();
        String deviceId = givenEnrolled(device);
        given().auth()
                .oauth2(TestOidcResource.deviceAdmin())
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "lost"))
                .post("/api/v1/admin/devices/" + deviceId + "/suspend")
                .then()
                .statusCode(200);

        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 409, "ALREADY_ENROLLED");
    }

    @Test
    void already_enrolled_registration_is_rejected() {
        TestDevice device = TestDevice.p256();
        givenEnrolled(device);
        device.replaceKey();
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 409, "ALREADY_ENROLLED");
    }

    @Test
    void rsa_and_p384_keys_are_refused() {
        for (TestDevice device : List.of(TestDevice.rsa(), TestDevice.p384())) {
            // No vendor endorses such a key (a registration refuses it), so only an unendorsed one can try.
            IdentityApi.givenRegisteredUnendorsed(device);
            Challenge challenge = Challenge.of(challenge(device.iccid()));
            assertProblem(enroll(challenge.id(), device.csr(challenge.nonce())), 400,
                    device.keys().getPublic().getAlgorithm().equals("RSA") ? "CSR_MALFORMED" : "KEY_UNSUPPORTED");
        }
    }

    @Test
    void malformed_csrs_are_refused_with_csr_malformed() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        byte[] der = device.csrDer("nonce");
        byte[] trailing = new byte[der.length + 1];
        System.arraycopy(der, 0, trailing, 0, der.length);
        String valid = TestDevice.pem(der);
        List<String> hostile = new ArrayList<>(List.of(
                "garbage",
                valid.substring(0, valid.length() / 2),
                TestDevice.pem("CERTIFICATE", der),
                TestDevice.pem(trailing),
                TestDevice.pem(new byte[]{0x30, (byte) 0x82, 0x7f}),
                valid + valid,
                "-----BEGIN CERTIFICATE REQUEST-----\n%%%%\n-----END CERTIFICATE REQUEST-----\n"));
        for (String csr : hostile) {
            Challenge challenge = Challenge.of(challenge(device.iccid()));
            assertProblem(enroll(challenge.id(), csr), 400, "CSR_MALFORMED");
        }
    }

    @Test
    void invalid_curve_point_is_refused() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        byte[] der = device.csrDer("nonce");
        byte[] point = device.keys().getPublic().getEncoded();
        // The SPKI's last byte is the y coordinate's last byte: flipping it moves the point off the curve.
        byte[] tampered = der.clone();
        int at = indexOf(tampered, point) + point.length - 1;
        tampered[at] ^= 0x01;
        Challenge challenge = Challenge.of(challenge(device.iccid()));
        assertProblem(enroll(challenge.id(), TestDevice.pem(tampered)), 400, "INVALID_CURVE_POINT");
    }

    @Test
    void transport_mistakes_get_problem_details() {
        assertProblem(given().contentType(ContentType.JSON)
                .body("{\"iccid\": \"89882000000000000001\", \"x\": 1}")
                .post("/api/v1/enrollment/challenges")
                .then(), 400, "UNKNOWN_FIELD");
        assertProblem(given().contentType(ContentType.JSON)
                .body("{\"iccid\": ")
                .post("/api/v1/enrollment/challenges")
                .then(), 400, "MALFORMED_REQUEST");
        assertProblem(given().contentType(ContentType.TEXT)
                .body("iccid=1")
                .post("/api/v1/enrollment/challenges")
                .then(), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("iccid", "12ab"))
                .post("/api/v1/enrollment/challenges")
                .then(), 400, "INVALID_ICCID");
        assertProblem(given().get("/api/v1/nothing-here").then(), 404, "NOT_FOUND");
        String big = "{\"challengeId\": \"00000000-0000-0000-0000-000000000000\", \"csr\": \""
                + "A".repeat(70 * 1024) + "\"}";
        assertProblem(given().contentType(ContentType.JSON)
                .body(big.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/enrollments")
                .then(), 413, "BODY_TOO_LARGE");
    }

    @Test
    void ca_chain_is_published() {
        given().get("/api/v1/ca")
                .then()
                .statusCode(200)
                .body(startsWith("-----BEGIN CERTIFICATE-----"))
                .body(containsString("-----END CERTIFICATE-----"));
    }

    static void assertProblem(io.restassured.response.ValidatableResponse response, int status, String code) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("code", is(code))
                .body("type", is("https://simanchor.io/problems/" + code.toLowerCase().replace('_', '-')))
                .body("status", is(status));
        String body = response.extract().asString();
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private long count(String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<X509Certificate> certificates(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    private static String mudUrlExtension(X509Certificate certificate) throws Exception {
        byte[] extension = certificate.getExtensionValue("1.3.6.1.5.5.7.1.25");
        ASN1Primitive value = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
        return ((ASN1IA5String) value).getString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
