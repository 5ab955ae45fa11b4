package io.simanchor.token.bench;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.ear.SignedEar;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.StrictJws;
import io.simanchor.token.domain.ClientAssertion;
import io.simanchor.token.domain.DeviceView;
import io.simanchor.token.domain.EarCheck;
import io.simanchor.token.domain.IssuedToken;
import io.simanchor.token.domain.RateLimiter;
import io.simanchor.token.domain.SigningKeyRing;
import io.simanchor.token.domain.TokenDecision;
import io.simanchor.token.domain.TokenEvents;
import io.simanchor.token.domain.TokenPolicy;
import io.simanchor.token.domain.TokenService;
import io.simanchor.token.infra.crypto.SigningKeyStore;
import io.simanchor.token.infra.crypto.TokenSigningKeys;
import io.simanchor.token.testing.TestJws;

/**
 * The per-core bound of token issuance with the active provider (docs/performance.md): the crypto of one
 * token — verify the client assertion, verify the EAR, sign the access token — and the whole domain
 * decision around it (parsing, checks, claims) with in-memory ports, i.e. everything but HTTP, PostgreSQL
 * and Kafka. Run as a benchmark, not by the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenCryptoBenchmark {

    private static final String ISSUER = "https://token.simanchor.bench";

    private EcPublicKey deviceKey;
    private EcPublicKey verifierKey;
    private StrictJws assertion;
    private StrictJws ear;
    private TokenSigningKeys signer;
    private TokenService service;
    private TokenService serviceVerifyingEveryEar;
    private KeyPair devicePair;
    private String deviceId;
    private String earCompact;
    private Map<String, Object> tokenClaims;
    private String preSigned;

    @Setup
    public void setUp() {
        System.out.println("\nP-256 provider: " + CryptoProviders.p256().getName());
        devicePair = TestJws.p256();
        KeyPair verifierPair = TestJws.p256();
        deviceKey = EcPublicKey.of(devicePair.getPublic());
        verifierKey = EcPublicKey.of(verifierPair.getPublic());
        deviceId = UUID.randomUUID().toString();
        preSigned = assertionFor(UUID.randomUUID().toString());
        assertion = StrictJws.parse(preSigned, ClientAssertion.MAX_LENGTH);
        earCompact = TestJws.es256(Map.of("alg", "ES256", "typ", "eat+jwt", "kid", "v1"), earClaims(),
                verifierPair.getPrivate());
        ear = StrictJws.parse(earCompact, SignedEar.MAX_LENGTH);

        AtomicReference<SigningKeyRing> stored = new AtomicReference<>(new SigningKeyRing(List.of()));
        SigningKeyStore memory = new SigningKeyStore() {

            @Override
            public SigningKeyRing load() {
                return stored.get();
            }

            @Override
            public SigningKeyRing change(java.util.function.UnaryOperator<SigningKeyRing> change,
                    Optional<String> auditAs, Instant now) {
                return stored.updateAndGet(change);
            }
        };
        signer = new TokenSigningKeys(memory, new SecureRandom(), Clock.systemUTC(), Duration.ofDays(1),
                Duration.ofHours(1));
        signer.start();
        tokenClaims = Map.of("iss", ISSUER, "sub", deviceId, "aud", "simanchor-devices", "iat", 1_800_000_000L,
                "exp", 1_800_000_600L, "jti", "q8bF2nU0cQ5yW1xZr3tJ7A", "scope", "device", "cnf",
                Map.of("jkt", deviceKey.thumbprint()));

        service = service(10_000);
        serviceVerifyingEveryEar = service(0);
    }

    private TokenService service(long rememberedEars) {
        DeviceView device = new DeviceView(deviceId, deviceKey, DeviceState.ACTIVE, Optional.empty());
        return new TokenService(id -> Optional.of(device),
                new EarCheck(kid -> Optional.of(verifierKey), Duration.ofHours(1), Duration.ofSeconds(30),
                        rememberedEars),
                new TokenPolicy(Map.of("device", new TokenPolicy.Scope("device", "simanchor-devices",
                        Duration.ofMinutes(10), false)), "device", Duration.ofHours(1)),
                (id, expiresAt) -> CompletableFuture.completedFuture(true), signer, new DiscardedEvents(),
                new RateLimiter(new RateLimiter.Limits(1e9, 1_000_000_000, 1e9, 1_000_000_000), System::nanoTime),
                new SecureRandom(), Clock.systemUTC(), new TokenService.Settings(ISSUER,
                        new ClientAssertion.Rules(List.of(ISSUER), Duration.ofMinutes(5), Duration.ofSeconds(30))));
    }

    /**
     * The crypto of one token when the device presents an EAR already verified (its usual case, see
     * EarCheck): one ES256 verification and one ES256 signature.
     */
    @Benchmark
    public String verifyAssertionSignToken() {
        if (!Es256Jws.verifies(deviceKey, assertion.signingInput(), assertion.signature())) {
            throw new IllegalStateException("benchmark tokens do not verify");
        }
        return signer.sign(tokenClaims);
    }

    /** The crypto of one token with a new EAR: two ES256 verifications and one ES256 signature. */
    @Benchmark
    public String verifyAssertionVerifyEarSignToken() {
        if (!Es256Jws.verifies(deviceKey, assertion.signingInput(), assertion.signature())
                || !Es256Jws.verifies(verifierKey, ear.signingInput(), ear.signature())) {
            throw new IllegalStateException("benchmark tokens do not verify");
        }
        return signer.sign(tokenClaims);
    }

    /**
     * The whole domain decision for one request: form, assertion and EAR parsing and checks, the crypto,
     * the claims, with the EAR remembered from the request before (a device's usual case). The assertion is
     * signed once in setup (signing it is the device's cost) and the in-memory ledger accepts its jti every
     * time.
     */
    @Benchmark
    public IssuedToken issue() {
        return service.issue(form()).toCompletableFuture().join();
    }

    /** {@link #issue()} with an EAR verified afresh for every request. */
    @Benchmark
    public IssuedToken issueVerifyingTheEar() {
        return serviceVerifyingEveryEar.issue(form()).toCompletableFuture().join();
    }

    private Map<String, List<String>> form() {
        Map<String, List<String>> form = new HashMap<>();
        form.put("grant_type", List.of("client_credentials"));
        form.put("client_assertion_type", List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        form.put("client_assertion", List.of(preSigned));
        form.put("attestation_result", List.of(earCompact));
        return form;
    }

    private String assertionFor(String jti) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", deviceId);
        claims.put("sub", deviceId);
        claims.put("aud", ISSUER);
        claims.put("jti", jti);
        claims.put("iat", now);
        claims.put("exp", now + 280);
        return TestJws.es256(Map.of("alg", "ES256"), claims, devicePair.getPrivate());
    }

    private Map<String, Object> earClaims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("eat_profile", SignedEar.EAR_PROFILE);
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("sub", deviceId);
        claims.put("cnf", Map.of("jkt", deviceKey.thumbprint()));
        claims.put("submods", Map.of("device", Map.of("ear.status", ArStatus.AFFIRMING.claimValue(),
                "ear.appraisal-policy-id", "simanchor/default/v1")));
        return claims;
    }

    /**
     * Events that are durable at once and kept nowhere. A recording double keeps every decision, and its
     * copy-on-write list made each token cost more than the one before: the benchmark measured the list.
     */
    private static final class DiscardedEvents implements TokenEvents {

        private static final CompletionStage<Void> DURABLE = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> issued(TokenDecision decision) {
            return DURABLE;
        }

        @Override
        public void denied(TokenDecision decision, String detail) {
            // Kept nowhere: the benchmark issues tokens only.
        }
    }
}
