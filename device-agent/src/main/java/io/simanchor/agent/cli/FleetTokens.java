package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.token.TokenClient;

/**
 * The fleet simulator's token run: every attested device asks token-service for an access token with its
 * EAR. Affirming devices get one; a device whose attestation is only a warning is refused the default
 * scope but may check for updates (scope {@code firmware}); a contraindicated one gets nothing. Then an
 * operator revokes one device and the run measures how long until token-service refuses it.
 */
final class FleetTokens {

    private static final Duration REVOCATION_LIMIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * Settings of a run.
     *
     * @param issuer token-service's issuer URL
     * @param requests timed token requests after the demonstration (0: none)
     * @param warmup untimed requests before them
     * @param concurrencies requests in flight at once during the load, one timed run each
     * @param server token-service's process (and its database's) on this machine, to report their CPU per token
     */
    record Settings(URI issuer, int requests, int warmup, List<Integer> concurrencies,
            Optional<TokenLoad.Processes> server) {
    }

    private final Settings settings;
    private final URI issuer;
    private final PrintStream out;
    private Optional<String> revoked = Optional.empty();

    FleetTokens(Settings settings, PrintStream out) {
        this.settings = settings;
        this.issuer = settings.issuer();
        this.out = out;
    }

    /** What one device asked for and got. */
    private record Outcome(String deviceId, String earStatus, String deviceScope, String firmwareScope) {
    }

    /** The device the run revoked, once it has. */
    Optional<String> revoked() {
        return revoked;
    }

    FleetEnrollment.Result run(JsonHttp http, IdentityClient identity, String operatorToken,
            List<FleetAttestation.Attestation> attested) {
        TokenClient tokens = TokenClient.simAnchor(http, issuer);
        out.printf("%n  Tokens (%s)%n", issuer);
        out.printf("    %-38s %-16s %-24s %s%n", "device id", "EAR status", "scope device", "scope firmware");
        int unexpected = 0;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (FleetAttestation.Attestation attestation : attested) {
            Outcome outcome = new Outcome(attestation.deviceId(), attestation.status(),
                    ask(tokens, attestation, Optional.empty()), ask(tokens, attestation, Optional.of("firmware")));
            out.printf("    %-38s %-16s %-24s %s%n", outcome.deviceId(), outcome.earStatus(), outcome.deviceScope(),
                    outcome.firmwareScope());
            counts.merge(outcome.deviceScope().startsWith("token") ? "issued" : "refused", 1, Integer::sum);
            boolean expected = switch (attestation.status()) {
                case "affirming" -> outcome.deviceScope().startsWith("token");
                case "warning" -> !outcome.deviceScope().startsWith("token")
                        && outcome.firmwareScope().startsWith("token");
                default -> !outcome.deviceScope().startsWith("token") && !outcome.firmwareScope().startsWith("token");
            };
            unexpected += expected ? 0 : 1;
        }
        out.printf("%n  Default-scope tokens: %s%n", counts);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tokens", counts);
        Optional<FleetAttestation.Attestation> victim = attested.stream()
                .filter(attestation -> attestation.status().equals("affirming"))
                .findFirst();
        if (victim.isPresent()) {
            revoked = Optional.of(victim.get().deviceId());
            long stoppedAfterMs = revokeAndWait(tokens, identity, operatorToken, victim.get());
            figures.put("revocationStopsTokensMs", stoppedAfterMs);
            unexpected += stoppedAfterMs < 0 ? 1 : 0;
        }
        List<FleetAttestation.Attestation> affirming = attested.stream()
                .filter(attestation -> attestation.status().equals("affirming"))
                .filter(attestation -> victim.map(v -> !v.deviceId().equals(attestation.deviceId())).orElse(true))
                .toList();
        if (settings.requests() > 0 && !affirming.isEmpty()) {
            TokenLoad.Result load = new TokenLoad(tokens, out, settings.server()).run(affirming.stream()
                    .map(device -> new TokenLoad.Caller(device.deviceId(), device.key()::sign,
                            Optional.of(device.ear())))
                    .toList(), settings.warmup(), settings.requests(), settings.concurrencies());
            figures.putAll(load.figures());
            unexpected += load.failed();
        }
        return new FleetEnrollment.Result(unexpected, figures);
    }

    private long revokeAndWait(TokenClient tokens, IdentityClient identity, String operatorToken,
            FleetAttestation.Attestation device) {
        Await.result(identity.revoke(operatorToken, device.deviceId(), "fleet simulator: revocation demo"));
        long start = System.nanoTime();
        while (System.nanoTime() - start < REVOCATION_LIMIT.toNanos() * 2) {
            String answer = ask(tokens, device, Optional.empty());
            if (answer.equals("refused unauthorized_client")) {
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                out.printf("  Revoked %s: token-service refuses it after %d ms (limit %d ms)%n", device.deviceId(),
                        elapsedMs, REVOCATION_LIMIT.toMillis());
                return elapsedMs <= REVOCATION_LIMIT.toMillis() ? elapsedMs : -1;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        out.printf("  Revoked %s: token-service still issues tokens after %d s%n", device.deviceId(),
                REVOCATION_LIMIT.toSeconds() * 2);
        return -1;
    }

    /** "token, 600 s" or "refused <error>". */
    private static String ask(TokenClient tokens, FleetAttestation.Attestation device, Optional<String> scope) {
        try {
            TokenClient.AccessToken token = Await.result(tokens.token(device.deviceId(), device.key()::sign,
                    device.ear(), scope));
            return "token, " + token.expiresIn().toSeconds() + " s";
        } catch (RuntimeException e) {
            return "refused " + errorOf(Await.causeOf(e));
        }
    }

    private static String errorOf(Throwable failure) {
        if (failure instanceof HttpCallException call) {
            return call.oauthError().orElse("HTTP " + call.status());
        }
        return failure.toString();
    }
}
