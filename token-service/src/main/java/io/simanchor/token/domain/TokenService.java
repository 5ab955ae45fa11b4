package io.simanchor.token.domain;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.Sha256;
import io.simanchor.support.jose.Es256Jws;

/**
 * The token endpoint's decision: a device authenticated by a client assertion signed with its SIM key
 * (RFC 7523) and vouched for by a fresh attestation result gets a short-lived, sender-constrained access
 * token (RFC 9068, {@code cnf.jkt} per RFC 9449 §6.1). Order matters: everything that needs no key is
 * checked first, the {@code jti} is spent only after every check passed (so nobody can burn another
 * device's assertion ids), and every decision is published, a refusal with its reason. Nothing here blocks:
 * the only waits, for the {@code jti} to be recorded and then for the issued event to be durable, are the
 * returned stage's.
 */
public final class TokenService {

    /**
     * Settings.
     *
     * @param issuer this server's issuer identifier (RFC 8414), the access tokens' {@code iss}
     * @param assertionRules what a client assertion must satisfy
     */
    public record Settings(String issuer, ClientAssertion.Rules assertionRules) {
    }

    private final DeviceViews devices;
    private final EarCheck earCheck;
    private final TokenPolicy policy;
    private final AssertionLedger ledger;
    private final AccessTokenSigner signer;
    private final TokenEvents events;
    private final RateLimiter rateLimiter;
    private final SecureRandom random;
    private final Clock clock;
    private final Settings settings;

    public TokenService(DeviceViews devices, EarCheck earCheck, TokenPolicy policy, AssertionLedger ledger,
            AccessTokenSigner signer, TokenEvents events, RateLimiter rateLimiter, SecureRandom random, Clock clock,
            Settings settings) {
        this.devices = devices;
        this.earCheck = earCheck;
        this.policy = policy;
        this.ledger = ledger;
        this.signer = signer;
        this.events = events;
        this.rateLimiter = rateLimiter;
        this.random = random;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Decides on the request in form parameters. Everything but recording the assertion's use and publishing
     * the issued event happens on the calling thread; the result completes once both are durable, on the
     * ledger's or the publisher's thread.
     *
     * @return the token, or a failure with {@link TokenDenied} (published) when refused, or with the
     *         ledger's or the publisher's exception when the use or the event could not be made durable
     */
    public CompletionStage<IssuedToken> issue(Map<String, List<String>> form) {
        Instant now = clock.instant();
        CompletionStage<IssuedToken> decision;
        try {
            decision = issue(TokenRequest.fromForm(form), now);
        } catch (TokenDenied denied) {
            decision = CompletableFuture.failedFuture(denied);
        }
        return decision.whenComplete((token, failure) -> TokenDenied.in(failure)
                .ifPresent(denied -> events.denied(TokenDecision.denied(denied, now), denied.getMessage())));
    }

    private CompletionStage<IssuedToken> issue(TokenRequest request, Instant now) {
        ClientAssertion assertion = ClientAssertion.check(request.clientAssertion(), settings.assertionRules(), now);
        String deviceId = assertion.deviceId();
        if (request.clientId().filter(clientId -> !clientId.equals(deviceId)).isPresent()) {
            throw new TokenDenied(DenialReason.CLIENT_ID_MISMATCH, deviceId, "client_id is not the assertion's sub");
        }
        // The two cheap refusals come before the instance's bucket, which is there to bound the signature
        // checks: a flood naming unknown devices, or a device that has spent its own share, costs none of it.
        DeviceView device = devices.find(deviceId)
                .orElseThrow(() -> new TokenDenied(DenialReason.DEVICE_UNKNOWN, deviceId, "no such device"));
        rateLimiter.deviceWait(deviceId).ifPresent(wait -> {
            throw new TokenDenied(DenialReason.RATE_LIMITED, deviceId, "device rate limit", wait);
        });
        rateLimiter.acquireGlobal().ifPresent(wait -> {
            throw new TokenDenied(DenialReason.RATE_LIMITED, deviceId, "instance rate limit", wait);
        });
        if (!Es256Jws.verifies(device.key(), assertion.jws().signingInput(), assertion.jws().signature())) {
            throw new TokenDenied(DenialReason.ASSERTION_SIGNATURE_INVALID, deviceId,
                    "assertion signature does not verify with the enrolled key");
        }
        requireActive(device);
        rateLimiter.acquireDevice(deviceId).ifPresent(wait -> {
            throw new TokenDenied(DenialReason.RATE_LIMITED, deviceId, "device rate limit", wait);
        });
        TokenPolicy.Scope scope = policy.scope(request.scope(), deviceId);
        VerifiedEar ear = earCheck.check(request.attestationResult(), device, now);
        if (!TokenPolicy.allows(scope, ear.status())) {
            throw new TokenDenied(DenialReason.EAR_STATUS_NOT_ALLOWED, deviceId,
                    "EAR status " + ear.status().claimValue() + " not allowed for scope " + scope.name());
        }
        Duration lifetime = policy.lifetime(scope);
        String tokenId = randomId();
        TokenDecision issued = new TokenDecision(Optional.of(deviceId), true, Optional.empty(),
                Optional.of(scope.name()), Optional.of(tokenId), Optional.of(ear.status().claimValue()), now,
                Optional.of(now.plus(lifetime)));
        // The token is signed here, on the caller's thread, and handed out only if the ledger then says the
        // jti was unused (a replay gets nothing) and the issued event is durable (no token goes unreported).
        String token = signer.sign(claims(device, scope, ear, tokenId, now, now.plus(lifetime)));
        // Kept as long as the assertion is accepted, which is until exp plus the clock skew (ClientAssertion):
        // a record that went sooner would let the assertion be used again in between.
        Instant acceptedUntil = assertion.expiresAt().plus(settings.assertionRules().clockSkew());
        return ledger.recordFirstUse(assertionId(deviceId, assertion.jti()), acceptedUntil)
                .thenCompose(firstUse -> {
                    if (!firstUse) {
                        throw new TokenDenied(DenialReason.ASSERTION_REPLAYED, deviceId, "jti already used");
                    }
                    requireStillCurrent(device, ear);
                    return events.issued(issued);
                })
                .thenApply(published -> new IssuedToken(token, lifetime, scope.name()));
    }

    /**
     * The device as the checks saw it must still be the device once its {@code jti} is recorded: that wait
     * is the database's (seconds when it is slow), and a suspension, revocation, key rotation or worse
     * appraisal read from Kafka meanwhile must stop the token like one read before the request came. What
     * arrives while the issued event is made durable (at most {@code issued-events.acknowledged-within}
     * plus {@code stored-within}) is not looked at again: the event is out by then.
     */
    private void requireStillCurrent(DeviceView checked, VerifiedEar ear) {
        String deviceId = checked.deviceId();
        DeviceView current = devices.find(deviceId)
                .filter(device -> device.key().equals(checked.key()))
                .orElseThrow(() -> new TokenDenied(DenialReason.DEVICE_CHANGED, deviceId,
                        "the device was removed or its key rotated while the jti was recorded"));
        requireActive(current);
        EarCheck.requireNotSuperseded(ear, current);
    }

    private static void requireActive(DeviceView device) {
        if (device.state() != DeviceState.ACTIVE) {
            throw new TokenDenied(DenialReason.DEVICE_NOT_ACTIVE, device.deviceId(), "device is " + device.state());
        }
    }

    /** RFC 9068 §2.2 claims, with the SIM key's thumbprint as confirmation and the attestation it rests on. */
    private Map<String, Object> claims(DeviceView device, TokenPolicy.Scope scope, VerifiedEar ear, String tokenId,
            Instant now, Instant expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", settings.issuer());
        claims.put("sub", device.deviceId());
        claims.put("aud", scope.audience());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", tokenId);
        claims.put("client_id", device.deviceId());
        claims.put("scope", scope.name());
        claims.put("cnf", Map.of("jkt", device.key().thumbprint()));
        claims.put("attestation", Map.of("status", ear.status().claimValue(), "policy_id", ear.policyId(),
                "iat", ear.issuedAt().getEpochSecond()));
        return claims;
    }

    private String randomId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The ledger key: SHA-256 of device id and jti, so ids of any length fit one fixed-size key. */
    static byte[] assertionId(String deviceId, String jti) {
        return Sha256.of(deviceId.getBytes(StandardCharsets.UTF_8), new byte[]{0},
                jti.getBytes(StandardCharsets.UTF_8));
    }
}
