package io.simanchor.token.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.ear.SignedEar;
import io.simanchor.support.jose.StrictJws;
import io.simanchor.token.testing.RecordingTokenEvents;
import io.simanchor.token.testing.TestJws;

/**
 * The token endpoint's rules against hostile requests: every refusal has its reason, is published, and
 * issues nothing; RFC 7523 §3 and RFC 8725 for the assertion, the EAR rules of docs/token-service.md.
 */
class TokenServiceTest {

    private static final String ISSUER = "https://token.simanchor.test";
    private static final String TOKEN_ENDPOINT = ISSUER + "/oauth2/token";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final KeyPair deviceKey = TestJws.p256();
    private final KeyPair otherDeviceKey = TestJws.p256();
    private final KeyPair verifierKey = TestJws.p256();
    private final KeyPair impostorVerifierKey = TestJws.p256();
    private final KeyPair tokenKey = TestJws.p256();
    private final String deviceId = UUID.randomUUID().toString();
    private final String otherDeviceId = UUID.randomUUID().toString();

    private final Map<String, DeviceView> devices = new HashMap<>();
    private final Map<String, EcPublicKey> publishedVerifierKeys = new HashMap<>(
            Map.of("verifier-1", EcPublicKey.of(verifierKey.getPublic())));
    private final Set<String> spentAssertions = new HashSet<>();
    private final List<Instant> spentUntil = new ArrayList<>();
    /** What the device view learns from Kafka while the ledger records a jti. */
    private Runnable whileTheJtiIsRecorded = () -> {
    };
    private final RecordingTokenEvents events = new RecordingTokenEvents();
    private final List<TokenDecision> issued = events.issued;
    private final List<TokenDecision> denied = events.denied;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final TokenPolicy policy = new TokenPolicy(Map.of(
            "telemetry", new TokenPolicy.Scope("telemetry", "https://telemetry.simanchor.test",
                    Duration.ofMinutes(10), false),
            "firmware", new TokenPolicy.Scope("firmware", "https://update.simanchor.test", Duration.ofHours(48),
                    true)),
            "telemetry", Duration.ofHours(1));
    private final RateLimiter.Limits limits = new RateLimiter.Limits(1, 5, 10_000, 10_000);

    TokenServiceTest() {
        devices.put(deviceId, new DeviceView(deviceId, EcPublicKey.of(deviceKey.getPublic()), DeviceState.ACTIVE,
                Optional.empty()));
        devices.put(otherDeviceId, new DeviceView(otherDeviceId, EcPublicKey.of(otherDeviceKey.getPublic()),
                DeviceState.ACTIVE, Optional.empty()));
    }

    private TokenService service() {
        return service(limits);
    }

    private TokenService service(RateLimiter.Limits limits) {
        VerifierKeys verifierKeys = kid -> Optional.ofNullable(publishedVerifierKeys.get(kid));
        AssertionLedger ledger = (id, expiresAt) -> {
            spentUntil.add(expiresAt);
            whileTheJtiIsRecorded.run();
            return CompletableFuture.completedFuture(spentAssertions.add(java.util.HexFormat.of().formatHex(id)));
        };
        AccessTokenSigner signer = claims -> TestJws.es256(Map.of("alg", "ES256", "typ", "at+jwt", "kid", "t1"),
                claims, tokenKey.getPrivate());
        return new TokenService(id -> Optional.ofNullable(devices.get(id)),
                new EarCheck(verifierKeys, Duration.ofMinutes(60), Duration.ofSeconds(30), 1000), policy, ledger,
                signer,
                events, new RateLimiter(limits, () -> 0L), new SecureRandom(), clock,
                new TokenService.Settings(ISSUER, new ClientAssertion.Rules(List.of(ISSUER, TOKEN_ENDPOINT),
                        Duration.ofMinutes(5), Duration.ofSeconds(30))));
    }

    // --- the happy path ---------------------------------------------------------------------------------

    @Test
    void an_attested_device_gets_a_sender_constrained_access_token() throws Exception {
        IssuedToken token = issue(service(), form(assertion(), ear(ArStatus.AFFIRMING)));

        assertThat(token.scope()).isEqualTo("telemetry");
        assertThat(token.expiresIn()).isEqualTo(Duration.ofMinutes(10));
        StrictJws jws = StrictJws.parse(token.accessToken(), 4096);
        assertThat(jws.header().typ()).isEqualTo("at+jwt");
        Map<String, Object> claims = TestJws.payload(token.accessToken());
        assertThat(claims).containsEntry("iss", ISSUER)
                .containsEntry("sub", deviceId)
                .containsEntry("aud", "https://telemetry.simanchor.test")
                .containsEntry("scope", "telemetry")
                .containsEntry("cnf", Map.of("jkt", EcPublicKey.of(deviceKey.getPublic()).thumbprint()));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
                .isEqualTo(600);
        assertThat(claims.get("jti")).isNotNull();
        assertThat(claims.get("attestation")).isEqualTo(
                Map.of("status", "affirming", "policy_id", "policy:tracker-x1", "iat", (int) NOW.getEpochSecond()));
        assertThat(issued).singleElement().satisfies(decision -> {
            assertThat(decision.issued()).isTrue();
            assertThat(decision.tokenId()).contains((String) claims.get("jti"));
        });
        assertThat(denied).isEmpty();
    }

    @Test
    void a_scope_lifetime_is_capped_by_the_hard_maximum() {
        IssuedToken token = issue(service(), form(assertion(), ear(ArStatus.AFFIRMING), "scope", "firmware"));

        assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void the_audience_may_be_the_token_endpoint_or_a_list_naming_this_server() {
        issue(service(), form(assertion(claims(c -> c.put("aud", TOKEN_ENDPOINT))), ear(ArStatus.AFFIRMING)));
        issue(service(), form(assertion(claims(c -> c.put("aud", List.of("https://elsewhere", ISSUER)))),
                ear(ArStatus.AFFIRMING)));

        assertThat(issued).hasSize(2);
    }

    @Test
    void an_assertion_without_iat_is_bounded_from_now() {
        // RFC 7523 §3 makes iat optional; the Nimbus OAuth 2.0 SDK leaves it out.
        issue(service(), form(assertion(claims(c -> {
            c.remove("iat");
            c.put("exp", NOW.plusSeconds(300).getEpochSecond());
        })), ear(ArStatus.AFFIRMING)));
        assertDenied(assertion(claims(c -> {
            c.remove("iat");
            c.put("exp", NOW.plusSeconds(3600).getEpochSecond());
        })), DenialReason.ASSERTION_LIFETIME_TOO_LONG);
    }

    @Test
    void the_kid_of_an_assertion_is_never_used_to_find_a_key() {
        // A kid pointing anywhere changes nothing: the enrolled key is the only key tried.
        Map<String, Object> header = Map.of("alg", "ES256", "typ", "JWT", "kid", "../../verifier-1");
        issue(service(), form(TestJws.es256(header, claims(c -> {
        }), deviceKey.getPrivate()), ear(ArStatus.AFFIRMING)));
        assertDenied(TestJws.es256(header, claims(c -> {
        }), verifierKey.getPrivate()), DenialReason.ASSERTION_SIGNATURE_INVALID);
    }

    // --- the request --------------------------------------------------------------------------------

    @Test
    void a_malformed_request_is_refused_with_invalid_request_or_its_specific_error() {
        String assertion = assertion();
        String ear = ear(ArStatus.AFFIRMING);
        assertDeniedForm(Map.of("grant_type", List.of("password"), "client_assertion_type",
                List.of(TokenRequest.ASSERTION_TYPE), "client_assertion", List.of(assertion), "attestation_result",
                List.of(ear)), DenialReason.GRANT_TYPE_UNSUPPORTED, OAuthError.UNSUPPORTED_GRANT_TYPE);
        // RFC 6749 §5.2: no client authentication at all is invalid_client; half of it is malformed.
        Map<String, List<String>> withoutAssertion = form(assertion, ear);
        withoutAssertion.remove("client_assertion");
        assertDeniedForm(withoutAssertion, DenialReason.ASSERTION_MISSING, OAuthError.INVALID_CLIENT);
        withoutAssertion.remove("client_assertion_type");
        assertDeniedForm(withoutAssertion, DenialReason.ASSERTION_MISSING, OAuthError.INVALID_CLIENT);
        Map<String, List<String>> withoutAssertionType = form(assertion, ear);
        withoutAssertionType.remove("client_assertion_type");
        assertDeniedForm(withoutAssertionType, DenialReason.PARAMETER_MISSING, OAuthError.INVALID_REQUEST);
        Map<String, List<String>> emptyGrant = form(assertion, ear);
        emptyGrant.put("grant_type", List.of(""));
        assertDeniedForm(emptyGrant, DenialReason.PARAMETER_MISSING, OAuthError.INVALID_REQUEST);
        Map<String, List<String>> repeated = form(assertion, ear);
        repeated.put("client_assertion", List.of(assertion, assertion()));
        assertDeniedForm(repeated, DenialReason.PARAMETER_REPEATED, OAuthError.INVALID_REQUEST);
        Map<String, List<String>> samlAssertion = form(assertion, ear);
        samlAssertion.put("client_assertion_type", List.of("urn:ietf:params:oauth:client-assertion-type:saml2-bearer"));
        assertDeniedForm(samlAssertion, DenialReason.ASSERTION_TYPE_UNSUPPORTED, OAuthError.INVALID_CLIENT);
        Map<String, List<String>> withoutEar = form(assertion, ear);
        withoutEar.remove(TokenRequest.ATTESTATION_RESULT);
        assertDeniedForm(withoutEar, DenialReason.EAR_MISSING, OAuthError.INVALID_REQUEST);
        assertDeniedForm(form(assertion, ear, "scope", "admin"), DenialReason.SCOPE_INVALID, OAuthError.INVALID_SCOPE);
    }

    // --- the client assertion ------------------------------------------------------------------------

    @Test
    void an_assertion_not_signed_es256_is_refused_before_any_key_is_looked_up() throws Exception {
        Map<String, Object> claims = claims(c -> {
        });
        assertDenied(TestJws.withSignature(Map.of("alg", "none"), claims, new byte[0]),
                DenialReason.ASSERTION_ALG_NOT_ALLOWED);
        assertDenied(TestJws.withSignature(Map.of("alg", "ES384"), claims, new byte[96]),
                DenialReason.ASSERTION_ALG_NOT_ALLOWED);
        // HS256 keyed with the device's public key: the classic algorithm confusion (RFC 8725 §2.1).
        String input = TestJws.b64(Map.of("alg", "HS256")) + "." + TestJws.b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(deviceKey.getPublic().getEncoded(), "HmacSHA256"));
        String hs256 = input + "." + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        assertDenied(hs256, DenialReason.ASSERTION_ALG_NOT_ALLOWED);
    }

    @Test
    void an_assertion_carrying_its_own_key_or_critical_extensions_is_refused() {
        Map<String, Object> claims = claims(c -> {
        });
        EcPublicKey.Jwk own = EcPublicKey.of(otherDeviceKey.getPublic()).toJwk();
        Map<String, Object> jwk = Map.of("kty", own.kty(), "crv", own.crv(), "x", own.x(), "y", own.y());
        for (String parameter : List.of("jwk", "jku", "x5c", "x5u")) {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "ES256"));
            header.put(parameter, parameter.equals("jwk") ? jwk : "https://attacker.example/key");
            assertDenied(TestJws.es256(header, claims, otherDeviceKey.getPrivate()),
                    DenialReason.ASSERTION_EMBEDDED_KEY);
        }
        assertDenied(TestJws.es256(Map.of("alg", "ES256", "crit", List.of("exp"), "exp", 1), claims,
                deviceKey.getPrivate()), DenialReason.ASSERTION_CRIT_UNSUPPORTED);
    }

    @Test
    void assertion_claims_are_checked_before_the_signature() {
        assertDenied(assertion(claims(c -> c.remove("jti"))), DenialReason.ASSERTION_CLAIM_MISSING);
        assertDenied(assertion(claims(c -> c.put("iat", "1795424400"))), DenialReason.ASSERTION_CLAIM_MISSING);
        assertDenied(assertion(claims(c -> c.put("iss", otherDeviceId))), DenialReason.ASSERTION_SUBJECT_MISMATCH);
        assertDenied(assertion(claims(c -> c.put("aud", "https://other-server.example"))),
                DenialReason.ASSERTION_AUDIENCE_INVALID);
        assertDenied(assertion(claims(c -> c.put("aud", List.of(1, 2)))), DenialReason.ASSERTION_AUDIENCE_INVALID);
        assertDenied(assertion(claims(c -> c.put("jti", "x".repeat(129)))), DenialReason.ASSERTION_CLAIM_MISSING);
        assertDenied(assertion(claims(c -> {
            c.put("iat", NOW.minusSeconds(400).getEpochSecond());
            c.put("exp", NOW.minusSeconds(100).getEpochSecond());
        })), DenialReason.ASSERTION_EXPIRED);
        assertDenied(assertion(claims(c -> {
            c.put("iat", NOW.plusSeconds(120).getEpochSecond());
            c.put("exp", NOW.plusSeconds(240).getEpochSecond());
        })), DenialReason.ASSERTION_NOT_YET_VALID);
        assertDenied(assertion(claims(c -> c.put("exp", NOW.plusSeconds(3600).getEpochSecond()))),
                DenialReason.ASSERTION_LIFETIME_TOO_LONG);
        // Dates no token carries: refused as missing, never an exception (Instant.ofEpochSecond would throw).
        for (long date : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, -1, 253_402_300_800L}) {
            assertDenied(assertion(claims(c -> c.put("exp", date))), DenialReason.ASSERTION_CLAIM_MISSING);
            assertDenied(assertion(claims(c -> c.put("iat", date))), DenialReason.ASSERTION_CLAIM_MISSING);
            assertDenied(assertion(claims(c -> c.put("nbf", date))), DenialReason.ASSERTION_CLAIM_MISSING);
        }
        assertDenied("not.a-jwt", DenialReason.ASSERTION_MALFORMED);
        assertDenied("x".repeat(5000), DenialReason.ASSERTION_MALFORMED);
        assertDenied(TestJws.b64(Map.of("alg", "ES256")) + "." + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"sub\":\"a\",\"sub\":\"b\"}".getBytes(StandardCharsets.UTF_8)) + ".AAAA",
                DenialReason.ASSERTION_MALFORMED);
    }

    @Test
    void an_assertion_for_another_or_unknown_device_is_refused_alike() {
        String forOther = TestJws.es256(Map.of("alg", "ES256"), claims(c -> {
            c.put("iss", otherDeviceId);
            c.put("sub", otherDeviceId);
        }), deviceKey.getPrivate());
        assertDenied(forOther, DenialReason.ASSERTION_SIGNATURE_INVALID);
        String unknown = UUID.randomUUID().toString();
        String forUnknown = assertion(claims(c -> {
            c.put("iss", unknown);
            c.put("sub", unknown);
        }));
        assertDenied(forUnknown, DenialReason.DEVICE_UNKNOWN);
        // The client cannot tell the two apart.
        assertThat(DenialReason.DEVICE_UNKNOWN.publicDescription())
                .isEqualTo(DenialReason.ASSERTION_SIGNATURE_INVALID.publicDescription());
    }

    @Test
    void a_client_id_naming_another_client_than_the_assertion_is_refused() {
        // RFC 7521 §4.2: client_id is optional, and when present it must identify the assertion's client.
        issue(service(), form(assertion(), ear(ArStatus.AFFIRMING), "client_id", deviceId));
        assertDeniedForm(form(assertion(), ear(ArStatus.AFFIRMING), "client_id", otherDeviceId),
                DenialReason.CLIENT_ID_MISMATCH, OAuthError.INVALID_CLIENT);
        // Decided on the request alone: the same answer whether or not the named client exists.
        assertDeniedForm(form(assertion(), ear(ArStatus.AFFIRMING), "client_id", UUID.randomUUID().toString()),
                DenialReason.CLIENT_ID_MISMATCH, OAuthError.INVALID_CLIENT);

        assertThat(issued).hasSize(1);
    }

    @Test
    void a_device_that_changes_while_its_jti_is_recorded_gets_no_token_and_its_jti_stays_spent() {
        EcPublicKey enrolled = EcPublicKey.of(deviceKey.getPublic());
        DeviceView active = new DeviceView(deviceId, enrolled, DeviceState.ACTIVE, Optional.empty());
        List<Map.Entry<Runnable, DenialReason>> changes = List.of(
                Map.entry(() -> devices.put(deviceId, new DeviceView(deviceId, enrolled, DeviceState.REVOKED,
                        Optional.empty())), DenialReason.DEVICE_NOT_ACTIVE),
                Map.entry(() -> devices.put(deviceId, new DeviceView(deviceId,
                        EcPublicKey.of(otherDeviceKey.getPublic()), DeviceState.ACTIVE, Optional.empty())),
                        DenialReason.DEVICE_CHANGED),
                Map.entry(() -> devices.remove(deviceId), DenialReason.DEVICE_CHANGED),
                Map.entry(() -> devices.put(deviceId, new DeviceView(deviceId, enrolled, DeviceState.ACTIVE,
                        Optional.of(new DeviceView.Appraisal(ArStatus.CONTRAINDICATED, NOW.plusSeconds(1))))),
                        DenialReason.EAR_SUPERSEDED));

        for (Map.Entry<Runnable, DenialReason> change : changes) {
            devices.put(deviceId, active);
            whileTheJtiIsRecorded = change.getKey();
            String assertion = assertion();
            assertDenied(assertion, change.getValue());

            devices.put(deviceId, active);
            whileTheJtiIsRecorded = () -> {
            };
            assertDenied(assertion, DenialReason.ASSERTION_REPLAYED);
        }
        assertThat(issued).isEmpty();
    }

    @Test
    void a_replayed_assertion_gets_nothing_the_second_time() {
        String assertion = assertion();
        issue(service(), form(assertion, ear(ArStatus.AFFIRMING)));

        assertDenied(assertion, DenialReason.ASSERTION_REPLAYED);
        assertThat(issued).hasSize(1);
    }

    @Test
    void a_token_whose_issued_event_is_not_durable_is_not_handed_out() {
        IllegalStateException notDurable = new IllegalStateException("neither Kafka nor the outbox took it");
        events.failingWith(notDurable);
        String assertion = assertion();

        assertThatThrownBy(() -> issue(service(), form(assertion, ear(ArStatus.AFFIRMING))))
                .isInstanceOf(CompletionException.class)
                .hasCause(notDurable);
        // The jti was spent first: the client retries with a new assertion, never with this one.
        events.succeeding();
        assertDenied(assertion, DenialReason.ASSERTION_REPLAYED);
    }

    @Test
    void a_refused_request_does_not_spend_its_jti() {
        String assertion = assertion();
        assertThatThrownBy(() -> issue(service(), form(assertion, ear(ArStatus.CONTRAINDICATED))))
                .isInstanceOf(TokenDenied.class);

        issue(service(), form(assertion, ear(ArStatus.AFFIRMING)));
        assertThat(issued).hasSize(1);
    }

    @Test
    void a_suspended_or_revoked_device_gets_no_token() {
        for (DeviceState state : List.of(DeviceState.SUSPENDED, DeviceState.REVOKED)) {
            devices.put(deviceId, new DeviceView(deviceId, EcPublicKey.of(deviceKey.getPublic()), state,
                    Optional.empty()));
            assertDenied(assertion(), DenialReason.DEVICE_NOT_ACTIVE);
        }
    }

    // --- the attestation result ----------------------------------------------------------------------

    @Test
    void the_attestation_status_decides_per_scope() {
        assertDenied(assertion(), ear(ArStatus.CONTRAINDICATED), DenialReason.EAR_STATUS_NOT_ALLOWED);
        assertDenied(assertion(), ear(ArStatus.WARNING), DenialReason.EAR_STATUS_NOT_ALLOWED);

        IssuedToken firmware = issue(service(), form(assertion(), ear(ArStatus.WARNING), "scope", "firmware"));
        assertThat(TestJws.payload(firmware.accessToken()).get("attestation")).asString().contains("warning");
        assertDeniedForm(form(assertion(), ear(ArStatus.CONTRAINDICATED), "scope", "firmware"),
                DenialReason.EAR_STATUS_NOT_ALLOWED, OAuthError.INVALID_GRANT);
    }

    @Test
    void a_forged_foreign_or_stale_ear_is_refused() {
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, impostorVerifierKey, "verifier-1", e -> {
        }), DenialReason.EAR_SIGNATURE_INVALID);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-2", e -> {
        }), DenialReason.EAR_SIGNATURE_INVALID);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("sub", otherDeviceId)), DenialReason.EAR_OTHER_DEVICE);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("cnf", Map.of("jkt", EcPublicKey.of(otherDeviceKey.getPublic()).thumbprint()))),
                DenialReason.EAR_OTHER_DEVICE);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1", e -> {
            e.put("iat", NOW.minusSeconds(7200).getEpochSecond());
            e.put("exp", NOW.minusSeconds(1).getEpochSecond());
        }), DenialReason.EAR_EXPIRED);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("iat", NOW.minusSeconds(3700).getEpochSecond())), DenialReason.EAR_TOO_OLD);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("iat", NOW.plusSeconds(300).getEpochSecond())), DenialReason.EAR_NOT_YET_VALID);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("eat_profile", "tag:example.com,2020:other")), DenialReason.EAR_MALFORMED);
        assertDenied(assertion(), "garbage", DenialReason.EAR_MALFORMED);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("exp", Long.MAX_VALUE)), DenialReason.EAR_MALFORMED);
        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("submods", Map.of("device", Map.of("ear.status", "trusted")))), DenialReason.EAR_MALFORMED);
    }

    @Test
    void an_ear_superseded_by_a_worse_appraisal_is_refused() {
        devices.put(deviceId, new DeviceView(deviceId, EcPublicKey.of(deviceKey.getPublic()), DeviceState.ACTIVE,
                Optional.of(new DeviceView.Appraisal(ArStatus.CONTRAINDICATED, NOW.minusSeconds(10)))));

        assertDenied(assertion(), ear(ArStatus.AFFIRMING, verifierKey, "verifier-1",
                e -> e.put("iat", NOW.minusSeconds(60).getEpochSecond())), DenialReason.EAR_SUPERSEDED);
        // An EAR at least as new as the latest appraisal is the latest appraisal.
        issue(service(), form(assertion(), ear(ArStatus.AFFIRMING)));
    }

    // --- remembered EARs: reuse must never accept what a fresh check would refuse ------------------------

    @Test
    void a_remembered_ear_counts_only_while_the_verifier_publishes_its_key_under_that_kid() {
        String ear = ear(ArStatus.AFFIRMING);
        EarCheck check = checkThatRemembers(ear);
        DeviceView device = devices.get(deviceId);

        publishedVerifierKeys.remove("verifier-1");
        assertEarDenied(check, ear, device, NOW, DenialReason.EAR_SIGNATURE_INVALID);
        publishedVerifierKeys.put("verifier-1", EcPublicKey.of(impostorVerifierKey.getPublic()));
        assertEarDenied(check, ear, device, NOW, DenialReason.EAR_SIGNATURE_INVALID);
        publishedVerifierKeys.put("verifier-1", EcPublicKey.of(verifierKey.getPublic()));
        assertThat(check.check(ear, device, NOW).status()).isEqualTo(ArStatus.AFFIRMING);
    }

    @Test
    void a_remembered_ear_is_checked_again_for_time_device_key_and_newer_appraisals() {
        String ear = ear(ArStatus.AFFIRMING);
        EarCheck check = checkThatRemembers(ear);
        DeviceView device = devices.get(deviceId);

        assertEarDenied(check, ear, device, NOW.plusSeconds(3600), DenialReason.EAR_EXPIRED);
        assertEarDenied(check, ear, device, NOW.minusSeconds(60), DenialReason.EAR_NOT_YET_VALID);
        assertEarDenied(check, ear, devices.get(otherDeviceId), NOW, DenialReason.EAR_OTHER_DEVICE);
        DeviceView rotated = new DeviceView(deviceId, EcPublicKey.of(otherDeviceKey.getPublic()), DeviceState.ACTIVE,
                Optional.empty());
        assertEarDenied(check, ear, rotated, NOW, DenialReason.EAR_OTHER_DEVICE);
        DeviceView reappraised = new DeviceView(deviceId, device.key(), DeviceState.ACTIVE,
                Optional.of(new DeviceView.Appraisal(ArStatus.CONTRAINDICATED, NOW.plusSeconds(5))));
        assertEarDenied(check, ear, reappraised, NOW.plusSeconds(10), DenialReason.EAR_SUPERSEDED);
        assertThat(check.check(ear, device, NOW.plusSeconds(10)).status()).isEqualTo(ArStatus.AFFIRMING);
    }

    @Test
    void an_ear_one_character_away_from_a_remembered_one_is_verified_on_its_own() {
        String ear = ear(ArStatus.AFFIRMING);
        EarCheck check = checkThatRemembers(ear);
        DeviceView device = devices.get(deviceId);

        int inSignature = ear.length() - 20;
        String tampered = ear.substring(0, inSignature) + (ear.charAt(inSignature) == 'A' ? 'B' : 'A')
                + ear.substring(inSignature + 1);
        assertEarDenied(check, tampered, device, NOW, DenialReason.EAR_SIGNATURE_INVALID);
        assertEarDenied(check, ear + "A", device, NOW, DenialReason.EAR_SIGNATURE_INVALID);
        assertEarDenied(check, "x".repeat(SignedEar.MAX_LENGTH + 1), device, NOW, DenialReason.EAR_MALFORMED);
        assertEarDenied(check, null, device, NOW, DenialReason.EAR_MALFORMED);
    }

    /** An EAR check that has verified {@code ear} for the device once, at {@link #NOW}, and remembers it. */
    private EarCheck checkThatRemembers(String ear) {
        EarCheck check = new EarCheck(kid -> Optional.ofNullable(publishedVerifierKeys.get(kid)),
                Duration.ofMinutes(60), Duration.ofSeconds(30), 100);
        assertThat(check.check(ear, devices.get(deviceId), NOW).status()).isEqualTo(ArStatus.AFFIRMING);
        return check;
    }

    private static void assertEarDenied(EarCheck check, String ear, DeviceView device, Instant now,
            DenialReason reason) {
        assertThatThrownBy(() -> check.check(ear, device, now)).isInstanceOfSatisfying(TokenDenied.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    // --- rate limits ---------------------------------------------------------------------------------

    @Test
    void a_flooding_device_is_limited_and_the_others_are_not() {
        TokenService service = service();
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            try {
                issue(service, form(assertion(), ear(ArStatus.AFFIRMING)));
            } catch (TokenDenied e) {
                assertThat(e.reason()).isEqualTo(DenialReason.RATE_LIMITED);
                assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());
                refused++;
            }
        }
        assertThat(refused).isEqualTo(15);

        issue(service, form(otherDevicesAssertion(), otherDevicesEar()));
    }

    private String otherDevicesAssertion() {
        return TestJws.es256(Map.of("alg", "ES256"), claims(c -> {
            c.put("iss", otherDeviceId);
            c.put("sub", otherDeviceId);
        }), otherDeviceKey.getPrivate());
    }

    private String otherDevicesEar() {
        return ear(ArStatus.AFFIRMING, verifierKey, "verifier-1", e -> {
            e.put("sub", otherDeviceId);
            e.put("cnf", Map.of("jkt", EcPublicKey.of(otherDeviceKey.getPublic()).thumbprint()));
        });
    }

    /** Accepted until exp plus the 30 s skew, so the jti is kept that long: not a second less. */
    @Test
    void a_jti_is_kept_as_long_as_its_assertion_is_accepted() {
        issue(service(), form(assertion(claims(c -> c.put("exp", NOW.plusSeconds(120).getEpochSecond()))),
                ear(ArStatus.AFFIRMING)));

        assertThat(spentUntil).containsExactly(NOW.plusSeconds(150));
    }

    /**
     * The instance takes 30 at once. Before, every request of a flood took one of them before its device's
     * own bucket refused it, so 100 requests from one device left the other device a 429.
     */
    @Test
    void a_flooding_device_does_not_spend_the_instances_share() {
        TokenService service = service(new RateLimiter.Limits(1, 5, 1, 30));
        int issued = 0;
        for (int i = 0; i < 100; i++) {
            try {
                issue(service, form(assertion(), ear(ArStatus.AFFIRMING)));
                issued++;
            } catch (TokenDenied e) {
                assertThat(e.reason()).isEqualTo(DenialReason.RATE_LIMITED);
            }
        }
        assertThat(issued).isEqualTo(5);

        issue(service, form(otherDevicesAssertion(), otherDevicesEar()));
    }

    @Test
    void requests_naming_unknown_devices_do_not_spend_the_instances_share() {
        TokenService service = service(new RateLimiter.Limits(1, 5, 1, 30));
        for (int i = 0; i < 100; i++) {
            String unknown = TestJws.es256(Map.of("alg", "ES256"), claims(c -> {
                String nobody = UUID.randomUUID().toString();
                c.put("iss", nobody);
                c.put("sub", nobody);
            }), otherDeviceKey.getPrivate());
            assertThatThrownBy(() -> issue(service, form(unknown, ear(ArStatus.AFFIRMING))))
                    .isInstanceOfSatisfying(TokenDenied.class,
                            e -> assertThat(e.reason()).isEqualTo(DenialReason.DEVICE_UNKNOWN));
        }

        issue(service, form(assertion(), ear(ArStatus.AFFIRMING)));
    }

    @Test
    void forged_requests_in_a_devices_name_do_not_spend_its_share() {
        TokenService service = service();
        for (int i = 0; i < 20; i++) {
            String forged = TestJws.es256(Map.of("alg", "ES256"), claims(c -> {
            }), otherDeviceKey.getPrivate());
            assertThatThrownBy(() -> issue(service, form(forged, ear(ArStatus.AFFIRMING))))
                    .isInstanceOfSatisfying(TokenDenied.class,
                            e -> assertThat(e.reason()).isEqualTo(DenialReason.ASSERTION_SIGNATURE_INVALID));
        }

        issue(service, form(assertion(), ear(ArStatus.AFFIRMING)));
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** The service's decision, waited for; a refusal is thrown as the {@link TokenDenied} it failed with. */
    private static IssuedToken issue(TokenService service, Map<String, List<String>> form) {
        try {
            return service.issue(form).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw TokenDenied.in(e).orElseThrow(() -> e);
        }
    }

    private void assertDenied(String assertion, DenialReason reason) {
        assertDenied(assertion, ear(ArStatus.AFFIRMING), reason);
    }

    private void assertDenied(String assertion, String ear, DenialReason reason) {
        assertDeniedForm(form(assertion, ear), reason, reason.error());
    }

    private void assertDeniedForm(Map<String, List<String>> form, DenialReason reason, OAuthError error) {
        int issuedBefore = issued.size();
        int deniedBefore = denied.size();
        assertThatThrownBy(() -> issue(service(), form)).isInstanceOfSatisfying(TokenDenied.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.reason().error()).isEqualTo(error);
        });
        assertThat(issued).hasSize(issuedBefore);
        assertThat(denied).hasSize(deniedBefore + 1);
        assertThat(denied.get(denied.size() - 1).reason()).contains(reason);
    }

    private Map<String, List<String>> form(String assertion, String ear, String... more) {
        Map<String, List<String>> form = new HashMap<>();
        form.put("grant_type", List.of("client_credentials"));
        form.put("client_assertion_type", List.of(TokenRequest.ASSERTION_TYPE));
        form.put("client_assertion", List.of(assertion));
        form.put(TokenRequest.ATTESTATION_RESULT, List.of(ear));
        for (int i = 0; i < more.length; i += 2) {
            form.put(more[i], List.of(more[i + 1]));
        }
        return form;
    }

    private String assertion() {
        return assertion(claims(c -> {
        }));
    }

    private String assertion(Map<String, Object> claims) {
        return TestJws.es256(Map.of("alg", "ES256", "typ", "JWT"), claims, deviceKey.getPrivate());
    }

    private Map<String, Object> claims(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", deviceId);
        claims.put("sub", deviceId);
        claims.put("aud", ISSUER);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.plusSeconds(120).getEpochSecond());
        change.accept(claims);
        return claims;
    }

    private String ear(ArStatus status) {
        return ear(status, verifierKey, "verifier-1", e -> {
        });
    }

    private String ear(ArStatus status, KeyPair signer, String kid,
            java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("eat_profile", SignedEar.EAR_PROFILE);
        claims.put("iat", NOW.getEpochSecond());
        claims.put("exp", NOW.plusSeconds(3600).getEpochSecond());
        claims.put("ear.verifier-id", Map.of("developer", "SIM Anchor", "build", "test"));
        claims.put("eat_nonce", "bm9uY2U");
        claims.put("sub", deviceId);
        claims.put("cnf", Map.of("jkt", EcPublicKey.of(deviceKey.getPublic()).thumbprint()));
        claims.put("submods", Map.of("device", Map.of("ear.status", status.claimValue(),
                "ear.trustworthiness-vector", Map.of("instance-identity", 2), "ear.appraisal-policy-id",
                "policy:tracker-x1")));
        change.accept(claims);
        return TestJws.es256(Map.of("alg", "ES256", "typ", "eat+jwt", "kid", kid), claims, signer.getPrivate());
    }
}
