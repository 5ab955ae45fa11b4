package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REVOCATION_LIMIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * Settings of a run.
     *
     * @param issuer token-service's issuer URL
     * @param requests timed token requests after the demonstration (0: none)
     * @param warmup untimed requests before them
     * @param concurrency requests in flight at once during the load
     */
    record Settings(URI issuer, int requests, int warmup, int concurrency) {
    }

    private final Settings settings;
    private final URI issuer;
    private final PrintStream out;

    FleetTokens(Settings settings, PrintStream out) {
        this.settings = settings;
        this.issuer = settings.issuer();
        this.out = out;
    }

    /** What one device asked for and got. */
    private record Outcome(String deviceId, String earStatus, String deviceScope, String firmwareScope) {
    }

    FleetEnrollment.Result run(JsonHttp http, IdentityClient identity, String operatorToken,
            List<FleetAttestation.Attestation> attested) {
        TokenClient tokens = new TokenClient(http, issuer);
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
            long stoppedAfterMs = revokeAndWait(tokens, identity, operatorToken, victim.get());
            figures.put("revocationStopsTokensMs", stoppedAfterMs);
            unexpected += stoppedAfterMs < 0 ? 1 : 0;
        }
        List<FleetAttestation.Attestation> affirming = attested.stream()
                .filter(attestation -> attestation.status().equals("affirming"))
                .filter(attestation -> victim.map(v -> !v.deviceId().equals(attestation.deviceId())).orElse(true))
                .toList();
        if (settings.requests() > 0 && !affirming.isEmpty()) {
            unexpected += timedRun(tokens, affirming, figures);
        }
        return new FleetEnrollment.Result(unexpected, figures);
    }

    /**
     * The token load: every request's assertion is signed before the clock starts (the device's cost, not
     * the server's), then the requests run with a fixed number in flight, devices round-robin.
     */
    private int timedRun(TokenClient tokens, List<FleetAttestation.Attestation> devices, Map<String, Object> figures) {
        if (settings.warmup() > 0) {
            out.printf("%n  token load warm-up: %d untimed requests%n", settings.warmup());
            load(tokens, devices, preSign(tokens, devices, settings.warmup()));
        }
        List<String> assertions = preSign(tokens, devices, settings.requests());
        long start = System.nanoTime();
        List<Long> outcomes = load(tokens, devices, assertions);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> latencies = new ArrayList<>(outcomes.stream().filter(nanos -> nanos >= 0).toList());
        Collections.sort(latencies);
        int failed = outcomes.size() - latencies.size();
        out.printf("  Issued %d of %d tokens in %.2f s (%d in flight, %d devices): %.1f tokens/s", latencies.size(),
                outcomes.size(), seconds, settings.concurrency(), devices.size(), latencies.size() / seconds);
        if (!latencies.isEmpty()) {
            out.printf(", latency p50 %.1f ms, p99 %.1f ms", FleetEnrollment.percentile(latencies, 50),
                    FleetEnrollment.percentile(latencies, 99));
            figures.put("tokenLatencyP50Ms", Math.round(FleetEnrollment.percentile(latencies, 50) * 100) / 100.0);
            figures.put("tokenLatencyP99Ms", Math.round(FleetEnrollment.percentile(latencies, 99) * 100) / 100.0);
        }
        out.println();
        figures.put("tokenRequests", outcomes.size());
        figures.put("tokenWarmup", settings.warmup());
        figures.put("tokenConcurrency", settings.concurrency());
        figures.put("tokenDevices", devices.size());
        figures.put("tokensFailed", failed);
        figures.put("tokenSeconds", Math.round(seconds * 100) / 100.0);
        figures.put("tokensPerSecond", Math.round(latencies.size() / seconds * 10) / 10.0);
        return failed;
    }

    private static List<String> preSign(TokenClient tokens, List<FleetAttestation.Attestation> devices, int count) {
        List<String> assertions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FleetAttestation.Attestation device = devices.get(i % devices.size());
            assertions.add(tokens.assertion(device.deviceId(), device.key()::sign));
        }
        return assertions;
    }

    /** Latency in nanoseconds of each request, -1 for a refused one. */
    private List<Long> load(TokenClient tokens, List<FleetAttestation.Attestation> devices, List<String> assertions) {
        List<Integer> indexes = new ArrayList<>(assertions.size());
        for (int i = 0; i < assertions.size(); i++) {
            indexes.add(i);
        }
        return Await.result(BoundedConcurrency.map(indexes, settings.concurrency(), i -> {
            long start = System.nanoTime();
            return tokens.token(assertions.get(i), devices.get(i % devices.size()).ear(), Optional.empty())
                    .thenApply(token -> System.nanoTime() - start)
                    .exceptionally(failure -> -1L);
        }));
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
            try {
                return JSON.readTree(call.body()).path("error").asText("HTTP " + call.status());
            } catch (java.io.IOException e) {
                return "HTTP " + call.status();
            }
        }
        return failure.toString();
    }
}
