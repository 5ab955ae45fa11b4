package io.simanchor.agent.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.sim.FaultInjection;
import io.simanchor.agent.sim.SecureElementException;
import io.simanchor.agent.sim.SigningMetrics;
import io.simanchor.agent.sim.SimLatencyModel;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.sim.SimulatedIotSafe;
import io.simanchor.agent.sim.SoftwareSecureElement;
import io.simanchor.agent.sim.VirtualTime;

class TokenManagerTest {

    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);
    private static final Duration EAR_LIFETIME = Duration.ofHours(1);

    private final VirtualTime time = new VirtualTime();
    private final SigningMetrics sim = new SigningMetrics();
    private final TokenMetrics metrics = new TokenMetrics();

    private ScriptedIssuer issuer(Duration latency) {
        return new ScriptedIssuer(time, latency, TOKEN_LIFETIME, EAR_LIFETIME);
    }

    private TokenManager manager(ScriptedIssuer issuer, long seed) {
        return new TokenManager(issuer, time, new Random(seed), TokenManager.Settings.DEFAULTS, sim, metrics);
    }

    private TokenManager started(ScriptedIssuer issuer) {
        TokenManager manager = manager(issuer, 1);
        CompletableFuture<Void> started = manager.start().toCompletableFuture();
        time.advance(Duration.ofSeconds(5));
        assertThat(started).isCompleted();
        return manager;
    }

    @Test
    void start_gets_an_ear_and_a_token_so_the_first_call_does_not_wait() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(700));

        TokenManager manager = started(issuer);
        CompletableFuture<String> token = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();

        assertThat(token).isCompletedWithValue("token-2");
        assertThat(issuer.attestCalls).hasSize(1);
        assertThat(issuer.earsPresented).containsExactly("ear-1");
        assertThat(metrics.hits()).isEqualTo(1);
        assertThat(metrics.waited()).isZero();
    }

    @Test
    void cached_token_is_served_without_asking_the_issuer_again() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(700));
        TokenManager manager = started(issuer);

        for (int i = 0; i < 1000; i++) {
            assertThat(manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture()).isCompleted();
            time.advance(Duration.ofMillis(100));
        }

        assertThat(issuer.tokenCalls).hasSize(1);
        assertThat(metrics.hitRatio()).isEqualTo(1.0);
        assertThat(metrics.timeToToken().percentileMillis(99)).isLessThan(1.0);
    }

    @Test
    void the_token_is_renewed_in_the_background_and_callers_never_wait() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(700));
        TokenManager manager = started(issuer);
        List<String> seen = new ArrayList<>();

        for (int second = 0; second < 3 * 3600; second++) {
            CompletableFuture<String> token = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();
            assertThat(token).as("second %d", second).isCompleted();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(token.join())) {
                seen.add(token.join());
            }
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(seen).hasSizeBetween(18, 22);
        assertThat(metrics.waited()).isZero();
        assertThat(issuer.attestCalls).as("EAR renewed before each hour ends").hasSizeBetween(3, 4);
        assertThat(metrics.remainingAtRefresh().percentileMillis(0)).isGreaterThan(5_000);
    }

    @Test
    void the_refresh_starts_earlier_when_the_sim_is_measured_slower() {
        ScriptedIssuer quick = issuer(Duration.ofMillis(700));
        TokenManager withPrior = started(quick);
        time.advance(TOKEN_LIFETIME);
        double priorLead = quick.tokenCalls.get(0) + TOKEN_LIFETIME.toMillis() - quick.tokenCalls.get(1);

        VirtualTime otherTime = new VirtualTime();
        SigningMetrics slowSim = measuredSim(otherTime, Duration.ofSeconds(20), 50);
        ScriptedIssuer slow = new ScriptedIssuer(otherTime, Duration.ofMillis(700), TOKEN_LIFETIME, EAR_LIFETIME);
        TokenManager measured = new TokenManager(slow, otherTime, new Random(1), TokenManager.Settings.DEFAULTS,
                slowSim, new TokenMetrics());
        measured.start();
        otherTime.advance(TOKEN_LIFETIME.plusSeconds(5));
        double measuredLead = slow.tokenCalls.get(0) + TOKEN_LIFETIME.toMillis() - slow.tokenCalls.get(1);

        // same seed, same jitter: the difference is twice the measured P99 minus twice the prior (2 × 18.26 s)
        assertThat(measuredLead - priorLead).isBetween(35_000.0, 38_500.0);
        withPrior.close();
        measured.close();
    }

    @Test
    void a_sim_slower_than_the_token_lifetime_does_not_make_the_manager_refresh_continuously() {
        VirtualTime otherTime = new VirtualTime();
        SigningMetrics verySlowSim = measuredSim(otherTime, Duration.ofMinutes(8), 25);
        ScriptedIssuer issuer = new ScriptedIssuer(otherTime, Duration.ofMillis(700), TOKEN_LIFETIME, EAR_LIFETIME);
        TokenManager manager = new TokenManager(issuer, otherTime, new Random(1), TokenManager.Settings.DEFAULTS,
                verySlowSim, new TokenMetrics());

        manager.start();
        otherTime.advance(Duration.ofHours(1));

        // at most one refresh per half lifetime
        assertThat(issuer.tokenCalls).hasSizeBetween(6, 13);
        manager.close();
    }

    @Test
    void a_fleet_started_together_spreads_its_refreshes() {
        List<Double> refreshes = new ArrayList<>();
        for (int device = 0; device < 50; device++) {
            ScriptedIssuer issuer = issuer(Duration.ofMillis(700));
            TokenManager manager = manager(issuer, device);
            manager.start();
            time.advance(Duration.ofSeconds(5));
            time.advance(TOKEN_LIFETIME);
            refreshes.add(issuer.tokenCalls.get(1) - issuer.tokenCalls.get(0));
            manager.close();
        }

        Collections.sort(refreshes);
        // jitter up to 10 % of a 10-minute lifetime: the refreshes spread over most of a minute
        assertThat(refreshes.get(refreshes.size() - 1) - refreshes.get(0)).isGreaterThan(40_000);
    }

    @Test
    void callers_without_a_token_share_one_refresh() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(700));
        TokenManager manager = manager(issuer, 1);

        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(manager.token(TokenManager.Wait.WAIT).toCompletableFuture());
        }
        time.advance(Duration.ofSeconds(5));

        assertThat(waiting).allSatisfy(token -> assertThat(token).isCompletedWithValue("token-2"));
        assertThat(issuer.tokenCalls).hasSize(1);
        assertThat(issuer.attestCalls).hasSize(1);
        assertThat(metrics.waited()).isEqualTo(10);
    }

    @Test
    void a_caller_that_will_not_wait_gets_a_clear_error() {
        TokenManager manager = manager(issuer(Duration.ofMillis(700)), 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();

        assertThat(failureOf(token)).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("no valid access token yet");
        assertThat(metrics.refused()).isEqualTo(1);
    }

    @Test
    void a_refused_request_waits_at_least_as_long_as_retry_after_says() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100))
                .failTokens(new HttpCallException("/oauth2/token", 429, "{\"error\":\"slow_down\"}",
                        Optional.of(Duration.ofSeconds(30))));
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofSeconds(29));
        assertThat(issuer.tokenCalls).hasSize(1);
        time.advance(Duration.ofSeconds(2));

        assertThat(issuer.tokenCalls).hasSize(2);
        assertThat(token).isCompleted();
    }

    @Test
    void repeated_failures_back_off_exponentially_with_jitter() {
        HttpCallException down = new HttpCallException("/oauth2/token", 503, "unavailable", Optional.empty());
        ScriptedIssuer issuer = issuer(Duration.ZERO).failTokens(down, down, down, down, down, down);
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofMinutes(5));

        assertThat(token).isCompleted();
        assertThat(issuer.tokenCalls).hasSize(7);
        for (int i = 1; i < issuer.tokenCalls.size(); i++) {
            double gap = issuer.tokenCalls.get(i) - issuer.tokenCalls.get(i - 1);
            double full = 1000.0 * (1 << (i - 1));
            assertThat(gap).as("back-off %d", i).isBetween(full / 2, full);
        }
        assertThat(metrics.refreshFailures()).isEqualTo(6);
    }

    @Test
    void closing_the_manager_tells_waiting_callers_at_once() {
        HttpCallException down = new HttpCallException("/oauth2/token", 503, "unavailable", Optional.empty());
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100)).failTokens(down, down, down);
        TokenManager manager = manager(issuer, 1);
        CompletableFuture<String> waiting = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofSeconds(1));

        manager.close();

        assertThat(failureOf(waiting)).isInstanceOf(TokenUnavailableException.class).hasMessageContaining("closed");
    }

    @Test
    void an_absurd_retry_after_is_capped_and_the_manager_keeps_working() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100)).failTokens(new HttpCallException("/oauth2/token", 429,
                "{}", Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 2))));
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofMinutes(61));

        assertThat(token).isCompleted();
        assertThat(issuer.tokenCalls).hasSize(2);
        assertThat(issuer.tokenCalls.get(1) - issuer.tokenCalls.get(0)).isBetween(3_599_000.0, 3_601_000.0);
    }

    @Test
    void long_back_offs_do_not_overflow() {
        HttpCallException down = new HttpCallException("/oauth2/token", 503, "unavailable", Optional.empty());
        ScriptedIssuer issuer = issuer(Duration.ZERO);
        for (int i = 0; i < 70; i++) {
            issuer.failTokens(down);
        }
        TokenManager.Settings slowBase = new TokenManager.Settings(Duration.ofSeconds(5), 0.1, Duration.ofSeconds(20),
                Duration.ofMinutes(5), Duration.ofMillis(1740), Duration.ofSeconds(1), 20);
        TokenManager manager = new TokenManager(issuer, time, new Random(1), slowBase, sim, metrics);

        manager.token(TokenManager.Wait.WAIT);
        time.advance(Duration.ofHours(6));

        // 70 failures, then a token: every gap between the attempts is a back-off between 10 s and the cap
        assertThat(issuer.tokenCalls).hasSizeGreaterThan(70);
        for (int i = 1; i <= 70; i++) {
            assertThat(issuer.tokenCalls.get(i) - issuer.tokenCalls.get(i - 1)).as("back-off %d", i)
                    .isBetween(10_000.0, 300_000.0);
        }
    }

    @Test
    void a_token_that_arrives_nearly_expired_is_not_handed_out() {
        ScriptedIssuer issuer = new ScriptedIssuer(time, Duration.ofSeconds(3), Duration.ofSeconds(6), EAR_LIFETIME);
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofSeconds(7));

        assertThat(failureOf(token)).isInstanceOf(TokenUnavailableException.class).hasMessageContaining("validity");
    }

    @Test
    void a_wrong_pin_stops_the_manager_and_every_caller_learns_why() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100)).failAttestations(new SecureElementException(
                SecureElementException.Reason.PIN_INCORRECT, "the token refused the PIN; not trying again"));
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> first = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofMinutes(10));
        CompletableFuture<String> later = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();

        assertThat(failureOf(first)).hasMessageContaining("refused the PIN");
        assertThat(failureOf(later)).hasMessageContaining("refused the PIN");
        assertThat(issuer.attestCalls).as("never retried").hasSize(1);
        assertThat(issuer.tokenCalls).isEmpty();
    }

    @Test
    void a_refused_ear_is_replaced_by_a_new_attestation_before_retrying() {
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100)).failTokens(new HttpCallException("/oauth2/token", 400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"attestation result superseded\"}",
                Optional.empty()));
        TokenManager manager = manager(issuer, 1);

        CompletableFuture<String> token = manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        time.advance(Duration.ofSeconds(10));

        assertThat(token).isCompleted();
        assertThat(issuer.attestCalls).hasSize(2);
        assertThat(issuer.earsPresented).containsExactly("ear-1", "ear-3");
    }

    @Test
    void an_expired_token_is_never_handed_out_while_renewal_fails() {
        HttpCallException down = new HttpCallException("/oauth2/token", 503, "unavailable", Optional.empty());
        ScriptedIssuer issuer = issuer(Duration.ofMillis(100));
        TokenManager manager = started(issuer);
        for (int i = 0; i < 100; i++) {
            issuer.failTokens(down);
        }

        time.advance(TOKEN_LIFETIME.minusSeconds(5));
        CompletableFuture<String> afterExpiry = manager.token(TokenManager.Wait.FAIL_FAST).toCompletableFuture();

        assertThat(failureOf(afterExpiry)).isInstanceOf(TokenUnavailableException.class);
    }

    /** Metrics of {@code signatures} signatures by a SIM that takes {@code each}, measured by a real signer. */
    private static SigningMetrics measuredSim(VirtualTime time, Duration each, int signatures) {
        SigningMetrics measured = new SigningMetrics();
        SimLatencyModel slow = new SimLatencyModel(each.toMillis(), 0, 0, 0, 0, 0, 0);
        try (SimSigner signer = new SimSigner(new SimulatedIotSafe(SoftwareSecureElement.generate(new SecureRandom()),
                slow, FaultInjection.NONE, SimulatedIotSafe.Sessions.KEEP_OPEN, time, new Random(1)), time, measured)) {
            for (int i = 0; i < signatures; i++) {
                signer.sign(new byte[]{(byte) i});
                time.runUntilIdle(each.multipliedBy(2));
            }
        }
        assertThat(measured.signatures()).isEqualTo(signatures);
        return measured;
    }

    private static Throwable failureOf(CompletableFuture<String> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
