package io.simanchor.agent.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.attest.EvidenceBuilder;
import io.simanchor.agent.http.MalformedAnswerException;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.token.Credential;
import io.simanchor.agent.token.CredentialIssuer;
import io.simanchor.agent.token.TokenClient;
import io.simanchor.agent.token.TokenMetrics;

/**
 * The device's credentials from the platform, each signed by the SIM: an EAR from attestation-service
 * (challenge, EAT evidence, appraisal) and an access token from token-service (RFC 7523 client assertion
 * plus the EAR). Records the network time of each call apart from the SIM's, and keeps the platform's
 * clock from the tokens it receives.
 */
public final class DeviceCredentials implements CredentialIssuer {

    private final String deviceId;
    private final SimSigner sim;
    private final AttestationClient attestation;
    private final TokenClient tokens;
    private final EvidenceBuilder.DeviceState state;
    private final Optional<String> scope;
    private final Delays delays;
    private final ServerClock clock;
    private final TokenMetrics metrics;

    /**
     * @param state what the device reports in its evidence
     * @param scope the scope to ask for (token-service's default when empty)
     * @param delays the monotonic clock network time is measured on
     */
    public DeviceCredentials(String deviceId, SimSigner sim, AttestationClient attestation, TokenClient tokens,
            EvidenceBuilder.DeviceState state, Optional<String> scope, Delays delays, ServerClock clock,
            TokenMetrics metrics) {
        this.deviceId = deviceId;
        this.sim = sim;
        this.attestation = attestation;
        this.tokens = tokens;
        this.state = state;
        this.scope = scope;
        this.delays = delays;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A credential, or a malformed answer when the lifetime is absurd (longer than a day). */
    private static Credential credential(String value, Duration lifetime, String what) {
        if (lifetime.compareTo(Credential.MAX_LIFETIME) > 0) {
            throw new MalformedAnswerException(what + " claims to be valid for " + lifetime);
        }
        return new Credential(value, lifetime);
    }

    @Override
    public CompletionStage<Credential> attest() {
        long challengeAsked = delays.nanoTime();
        return attestation.challenge(deviceId).thenCompose(nonce -> {
            metrics.network(delays.nanoTime() - challengeAsked);
            return EvidenceBuilder.sign(EvidenceBuilder.claims(deviceId, nonce, state, clock.now()), sim::sign);
        }).thenCompose(evidence -> {
            long sent = delays.nanoTime();
            return attestation.appraise(evidence).thenApply(result -> {
                long roundTrip = delays.nanoTime() - sent;
                metrics.network(roundTrip);
                JwtClaims ear = JwtClaims.of(result.ear(), "the attestation result");
                clock.observe(ear.issuedAt(), Duration.ofNanos(roundTrip));
                return credential(result.ear(), ear.lifetime(), "the attestation result");
            });
        });
    }

    @Override
    public CompletionStage<Credential> token(Credential ear) {
        Instant now = clock.now();
        return tokens.assertion(deviceId, sim::sign, now).thenCompose(assertion -> {
            long sent = delays.nanoTime();
            return tokens.token(assertion, Optional.of(ear.value()), scope).thenApply(token -> {
                long roundTrip = delays.nanoTime() - sent;
                metrics.network(roundTrip);
                JwtClaims claims = JwtClaims.of(token.token(), "the access token");
                clock.observe(claims.issuedAt(), Duration.ofNanos(roundTrip));
                return credential(token.token(), token.expiresIn(), "the access token");
            });
        });
    }
}
