package io.simanchor.attestation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.attestation.testing.EvidenceSigner;
import io.simanchor.attestation.testing.InMemoryPolicies;
import io.simanchor.attestation.testing.InMemoryReferenceValues;
import io.simanchor.attestation.testing.TestPolicies;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.ratelimit.KeyedRateLimit;
import io.simanchor.support.ratelimit.RequestRateLimits;
import io.simanchor.support.testing.MutableClock;

/** The verifier's checks, one hostile input at a time, with in-memory ports and real signatures. */
class AttestationServiceTest {

    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";
    private static final String OTHER_DEVICE = "5d0c7b8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final String BOOT = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final EvidenceSigner sim = EvidenceSigner.p256();
    private final Map<String, DeviceView> views = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();
    private final List<AttestationResultV1> results = new ArrayList<>();
    private final List<SecurityEventV1> securityEvents = new ArrayList<>();
    private final AttestationNonces nonces = new AttestationNonces(new byte[32], new SecureRandom(), clock,
            Duration.ofSeconds(60));
    private static final AttestationService.Settings SETTINGS = new AttestationService.Settings(
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofHours(1));

    private final InMemoryReferenceValues referenceValues = referenceValues();
    /** Limits no test here reaches: their own tests are in platform-support and AttestationRateLimitTest. */
    private static final RequestRateLimits NO_LIMITS = new RequestRateLimits(
            new KeyedRateLimit.Limit(1e9, 1_000_000), new KeyedRateLimit.Limit(1e9, 1_000_000), 1_000,
            System::nanoTime);

    private final AttestationService verifier = new AttestationService(nonces,
            id -> Optional.ofNullable(views.get(id)),
            new InMemoryPolicies(), referenceValues,
            this::recordFirstUse, result -> "ear:" + result.deviceId(), securityEvents::add, clock, SETTINGS,
            NO_LIMITS);

    /** The ledger: a nonce's first use is recorded with its result, at once. */
    private CompletionStage<Boolean> recordFirstUse(byte[] nonceId, Instant expiresAt, AttestationResultV1 result) {
        if (!consumed.add(Base64.getEncoder().encodeToString(nonceId))) {
            return CompletableFuture.completedFuture(false);
        }
        results.add(result);
        return CompletableFuture.completedFuture(true);
    }

    private static InMemoryReferenceValues referenceValues() {
        InMemoryReferenceValues store = new InMemoryReferenceValues();
        store.save(new ReferenceValues("tracker-x1", "4.2.0", List.of(new MeasurementV1("boot", "sha-256", BOOT))),
                null);
        return store;
    }

    AttestationServiceTest() {
        views.put(DEVICE, new DeviceView(DEVICE, "acme", "tracker-x1", sim.publicKey(), DeviceState.ACTIVE));
        views.put(OTHER_DEVICE, new DeviceView(OTHER_DEVICE, "acme", "tracker-x1", EvidenceSigner.p256().publicKey(),
                DeviceState.ACTIVE));
    }

    @Test
    void genuine_evidence_gets_a_signed_affirming_result_and_one_event() {
        AttestationService.Verdict verdict = appraise(sim.sign(claims(c -> c)));

        assertThat(verdict.ear()).isEqualTo("ear:" + DEVICE);
        assertThat(verdict.result().appraisal().status()).isEqualTo(ArStatus.AFFIRMING);
        assertThat(verdict.result().keyThumbprint()).isEqualTo(sim.publicKey().thumbprint());
        assertThat(verdict.result().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(results).singleElement().satisfies(event -> {
            assertThat(event.deviceId()).isEqualTo(DEVICE);
            assertThat(event.status()).isEqualTo("affirming");
        });
        assertThat(securityEvents).isEmpty();
    }

    @Test
    void a_contraindicated_appraisal_is_still_a_result_not_a_refusal() {
        AttestationService.Verdict verdict = appraise(sim.sign(claims(c -> with(c, "hwmodel", "other"))));

        assertThat(verdict.result().appraisal().status()).isEqualTo(ArStatus.CONTRAINDICATED);
        assertThat(results).hasSize(1);
    }

    @Test
    void evidence_claiming_another_model_is_not_compared_with_that_models_reference_values() {
        referenceValues.save(new ReferenceValues("other", "4.2.0", List.of(new MeasurementV1("boot", "sha-256", BOOT))),
                null);

        AttestationService.Verdict verdict = appraise(sim.sign(claims(c -> with(c, "hwmodel", "other"))));

        assertThat(verdict.result().appraisal().reasonCodes()).contains(Finding.HWMODEL_MISMATCH.name(),
                Finding.REFERENCE_VALUES_UNKNOWN.name());
    }

    @Test
    void algorithms_other_than_es256_are_refused_before_anything_else() {
        for (String alg : new String[]{"none", "HS256", "ES384", "ES512", "RS256", "es256", "ES256 "}) {
            assertRefusedWithHeader("alg", alg, "ALG_NOT_ALLOWED");
        }
        assertRefusedWithHeader("alg", null, "ALG_NOT_ALLOWED");
    }

    @Test
    void a_header_that_carries_or_points_to_a_key_is_refused() {
        for (String parameter : Es256Jws.KEY_PARAMETERS) {
            assertRefusedWithHeader(parameter, "attacker-supplied", "EMBEDDED_KEY_REFUSED");
        }
    }

    @Test
    void critical_extensions_are_refused() {
        assertRefusedWithHeader("crit", List.of("b64"), "CRIT_UNSUPPORTED");
    }

    @Test
    void typ_must_name_eat_jwt() {
        for (String typ : new String[]{"JWT", "at+jwt", "eat+cwt", ""}) {
            assertRefusedWithHeader("typ", typ, "TYP_INVALID");
        }
        assertRefusedWithHeader("typ", null, "TYP_INVALID");

        Map<String, Object> fullMediaType = EvidenceSigner.header();
        fullMediaType.put("typ", "application/EAT+JWT");
        assertThat(appraise(sim.sign(fullMediaType, claims(c -> c))).ear()).isNotNull();
    }

    @Test
    void a_signature_by_any_key_but_the_enrolled_one_is_refused() {
        assertRefused(EvidenceSigner.p256().sign(claims(c -> c)), "SIGNATURE_INVALID");
    }

    @Test
    void a_signature_over_other_claims_is_refused() {
        SignedEvidence genuine = sim.sign(claims(c -> c));
        SignedEvidence altered = new SignedEvidence(genuine.header(), with(genuine.claims(), "swversion", "9"),
                (new String(genuine.signingInput()) + "x").getBytes(), genuine.signature());
        byte[] flipped = genuine.signature().clone();
        flipped[10] ^= 1;

        assertRefused(altered, "SIGNATURE_INVALID");
        assertRefused(new SignedEvidence(genuine.header(), genuine.claims(), genuine.signingInput(), flipped),
                "SIGNATURE_INVALID");
        assertRefused(new SignedEvidence(genuine.header(), genuine.claims(), genuine.signingInput(), new byte[64]),
                "SIGNATURE_INVALID");
        assertRefused(new SignedEvidence(genuine.header(), genuine.claims(), genuine.signingInput(), new byte[0]),
                "SIGNATURE_INVALID");
    }

    @Test
    void evidence_signed_with_a_rotated_out_key_is_refused() {
        views.put(DEVICE, new DeviceView(DEVICE, "acme", "tracker-x1", EvidenceSigner.p256().publicKey(),
                DeviceState.ACTIVE));

        assertRefused(sim.sign(claims(c -> c)), "SIGNATURE_INVALID");
    }

    /**
     * The reference values are read from the database (a pending stage) while the device is revoked, or
     * its key rotated: the evidence, authenticated before, gets no result when they arrive.
     */
    @Test
    void a_revocation_or_rotation_read_while_the_reference_values_load_takes_effect() {
        DeviceView rotated = new DeviceView(DEVICE, "acme", "tracker-x1", EvidenceSigner.p256().publicKey(),
                DeviceState.ACTIVE);
        DeviceView revoked = new DeviceView(DEVICE, "acme", "tracker-x1", sim.publicKey(), DeviceState.REVOKED);
        for (var change : List.of(Map.entry(revoked, "DEVICE_NOT_ACTIVE"), Map.entry(rotated, "SIGNATURE_INVALID"))) {
            views.put(DEVICE, new DeviceView(DEVICE, "acme", "tracker-x1", sim.publicKey(), DeviceState.ACTIVE));
            CompletableFuture<Optional<ReferenceValues>> loading = new CompletableFuture<>();
            AttestationService slowStore = new AttestationService(nonces, id -> Optional.ofNullable(views.get(id)),
                    new InMemoryPolicies(), new ReferenceValueStore() {

                        @Override
                        public CompletionStage<Optional<ReferenceValues>> find(String hwModel, String swVersion) {
                            return loading;
                        }

                        @Override
                        public void save(ReferenceValues values, AuditEntry entry) {
                            throw new UnsupportedOperationException();
                        }
                    }, this::recordFirstUse, result -> "ear:" + result.deviceId(), securityEvents::add, clock,
                    SETTINGS, NO_LIMITS);
            CompletableFuture<AttestationService.Verdict> verdict = slowStore.appraise(sim.sign(claims(c -> c)))
                    .toCompletableFuture();

            views.put(DEVICE, change.getKey());
            loading.complete(referenceValues.find("tracker-x1", "4.2.0").toCompletableFuture().join());

            assertThat(verdict).isCompletedExceptionally();
            assertThat(catchThrowableOfType(verdict::join, CompletionException.class).getCause())
                    .isInstanceOfSatisfying(ProblemException.class,
                            refused -> assertThat(refused.type().code()).isEqualTo(change.getValue()));
            assertThat(results).isEmpty();
        }
    }

    @Test
    void a_device_that_is_not_active_gets_nothing_and_raises_an_alert() {
        for (DeviceState state : new DeviceState[]{DeviceState.SUSPENDED, DeviceState.REVOKED}) {
            views.put(DEVICE, new DeviceView(DEVICE, "acme", "tracker-x1", sim.publicKey(), state));
            assertRefused(sim.sign(claims(c -> c)), "DEVICE_NOT_ACTIVE");
        }
        assertThat(securityEvents).extracting(SecurityEventV1::deviceId).containsOnly(DEVICE);
    }

    @Test
    @Timeout(10) // appraise blocking until the policy is read would hang here rather than fail
    void an_appraisal_waits_for_a_policy_that_is_not_in_memory_without_holding_the_caller() {
        CompletableFuture<AppraisalPolicy> policyRead = new CompletableFuture<>();
        AppraisalPolicies unread = new AppraisalPolicies() {

            @Override
            public CompletionStage<AppraisalPolicy> forModel(String hwModel) {
                return policyRead;
            }

            @Override
            public void save(String hwModel, AppraisalPolicy policy, AuditEntry entry) {
                throw new UnsupportedOperationException();
            }
        };
        AttestationService verifierWaiting = new AttestationService(nonces, id -> Optional.ofNullable(views.get(id)),
                unread, referenceValues(), this::recordFirstUse, result -> "ear:" + result.deviceId(),
                securityEvents::add, clock, SETTINGS, NO_LIMITS);

        CompletableFuture<AttestationService.Verdict> verdict = verifierWaiting.appraise(sim.sign(claims(c -> c)))
                .toCompletableFuture();
        assertThat(verdict).isNotDone();
        assertThat(results).isEmpty();

        policyRead.complete(TestPolicies.DEFAULT);
        assertThat(verdict.join().result().appraisal().status()).isEqualTo(ArStatus.AFFIRMING);
        assertThat(results).hasSize(1);
    }

    @Test
    void a_nonce_is_single_use() {
        EatEvidenceV1 claims = claims(c -> c);
        appraise(sim.sign(claims));

        assertRefused(sim.sign(claims), "NONCE_REPLAYED");
        assertThat(results).hasSize(1);
    }

    @Test
    void a_nonce_issued_for_another_device_is_refused() {
        String foreignNonce = verifier.challenge(OTHER_DEVICE).nonce();

        assertRefused(sim.sign(claims(c -> with(c, "eat_nonce", foreignNonce))), "NONCE_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "eat_nonce", "made-up-nonce-0123456789"))), "NONCE_INVALID");
    }

    @Test
    void an_expired_nonce_is_refused() {
        EatEvidenceV1 claims = claims(c -> c);
        clock.advance(Duration.ofSeconds(61));

        assertRefused(sim.sign(claims), "NONCE_EXPIRED");
    }

    @Test
    void iat_must_lie_between_the_nonce_and_now_give_or_take_the_skew() {
        long now = clock.instant().getEpochSecond();

        assertRefused(sim.sign(claims(c -> with(c, "iat", now + 31))), "IAT_IN_FUTURE");
        assertRefused(sim.sign(claims(c -> with(c, "iat", now - 31))), "IAT_TOO_OLD");
        assertThat(appraise(sim.sign(claims(c -> with(c, "iat", now + 30)))).ear()).isNotNull();
        // Not a date at all: a 4xx with its reason, never an exception from Instant.ofEpochSecond.
        assertRefused(sim.sign(claims(c -> with(c, "iat", Long.MAX_VALUE))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "iat", Long.MIN_VALUE))), "CLAIM_INVALID");
    }

    @Test
    void evidence_for_an_unknown_device_or_a_foreign_ueid_is_refused() {
        String stranger = "9f8e7d6c-5b4a-4c3d-8e9f-0a1b2c3d4e5f";
        String nonce = verifier.challenge(stranger).nonce();

        assertRefused(sim.sign(claims(c -> with(with(c, "ueid", Ueid.of(stranger)), "eat_nonce", nonce))),
                "DEVICE_UNKNOWN");
        assertRefused(sim.sign(claims(c -> with(c, "ueid", "AwECAwQFBgcICQoLDA0ODxA"))), "UEID_INVALID");
    }

    @Test
    void claims_the_policy_requires_must_be_present() {
        for (String claim : new String[]{"hwmodel", "swname", "swversion", "measurements", "dbgstat", "oemboot"}) {
            assertRefused(sim.sign(claims(c -> with(c, claim, null))), "CLAIM_MISSING");
        }
        assertRefused(sim.sign(claims(c -> with(c, "iat", null))), "CLAIM_MISSING");
    }

    @Test
    void claims_outside_their_definition_are_refused() {
        assertRefused(sim.sign(claims(c -> with(c, "dbgstat", 5))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "dbgstat", -1))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "swversion", "x".repeat(129)))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "measurements", List.of()))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "measurements", List.of(new MeasurementV1("boot", "sha-256", BOOT),
                new MeasurementV1("boot", "sha-256", BOOT))))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "measurements",
                List.of(new MeasurementV1("boot", "sha-1", BOOT))))), "CLAIM_INVALID");
        assertRefused(sim.sign(claims(c -> with(c, "measurements",
                List.of(new MeasurementV1("boot", "sha-256", BOOT.substring(1)))))), "CLAIM_INVALID");
    }

    @Test
    void a_challenge_needs_a_plausible_device_id_but_does_not_reveal_whether_it_exists() {
        for (String deviceId : new String[]{null, "", "   ", "x".repeat(65)}) {
            ProblemException refused = catchThrowableOfType(() -> verifier.challenge(deviceId),
                    ProblemException.class);
            assertThat(refused.type().code()).isEqualTo("MALFORMED_REQUEST");
        }
        assertThat(verifier.challenge("9f8e7d6c-5b4a-4c3d-8e9f-0a1b2c3d4e5f").nonce()).hasSize(71);
    }

    @Test
    void no_refusal_consumes_the_nonce() {
        EatEvidenceV1 claims = claims(c -> c);
        assertRefused(EvidenceSigner.p256().sign(claims), "SIGNATURE_INVALID");

        assertThat(appraise(sim.sign(claims)).ear()).isNotNull();
    }

    /** Genuine evidence whose header has {@code parameter} set to {@code value}, or removed when null. */
    private void assertRefusedWithHeader(String parameter, Object value, String code) {
        Map<String, Object> header = EvidenceSigner.header();
        if (value == null) {
            header.remove(parameter);
        } else {
            header.put(parameter, value);
        }
        assertRefused(sim.sign(header, claims(c -> c)), code);
    }

    private void assertRefused(SignedEvidence evidence, String code) {
        int eventsBefore = securityEvents.size();
        int resultsBefore = results.size();
        ProblemException refused = catchThrowableOfType(() -> appraise(evidence), ProblemException.class);

        assertThat(refused).as("refused with " + code).isNotNull();
        assertThat(refused.type().code()).isEqualTo(code);
        assertThat(securityEvents).hasSize(eventsBefore + 1);
        assertThat(securityEvents.get(eventsBefore).reasonCode()).isEqualTo(code);
        assertThat(results).hasSize(resultsBefore);
    }

    /** The verdict, or the refusal thrown as it is. */
    private AttestationService.Verdict appraise(SignedEvidence evidence) {
        try {
            return verifier.appraise(evidence).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /** Genuine claims with a fresh nonce for {@link #DEVICE}, then {@code change}d. */
    private EatEvidenceV1 claims(UnaryOperator<EatEvidenceV1> change) {
        return change.apply(new EatEvidenceV1(verifier.challenge(DEVICE).nonce(), Ueid.of(DEVICE),
                clock.instant().getEpochSecond(), "tracker-x1", "tracker-firmware", "4.2.0",
                List.of(new MeasurementV1("boot", "sha-256", BOOT)), 3, true));
    }

    @SuppressWarnings("unchecked")
    private static EatEvidenceV1 with(EatEvidenceV1 c, String claim, Object value) {
        return new EatEvidenceV1(
                claim.equals("eat_nonce") ? (String) value : c.eatNonce(),
                claim.equals("ueid") ? (String) value : c.ueid(),
                claim.equals("iat") ? (value == null ? null : ((Number) value).longValue()) : c.iat(),
                claim.equals("hwmodel") ? (String) value : c.hwmodel(),
                claim.equals("swname") ? (String) value : c.swname(),
                claim.equals("swversion") ? (String) value : c.swversion(),
                claim.equals("measurements") ? (List<MeasurementV1>) value : c.measurements(),
                claim.equals("dbgstat") ? (Integer) value : c.dbgstat(),
                claim.equals("oemboot") ? (Boolean) value : c.oemboot());
    }
}
