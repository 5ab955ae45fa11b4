package io.simanchor.agent.token;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.simanchor.agent.sim.VirtualTime;

/**
 * An issuer on virtual time: each call takes {@code latency}, then answers with a fresh credential or the
 * next scripted failure. Records when each call started.
 */
final class ScriptedIssuer implements CredentialIssuer {

    private final VirtualTime time;
    private final Duration latency;
    private final Duration tokenLifetime;
    private final Duration earLifetime;
    private final Deque<Throwable> tokenFailures = new ArrayDeque<>();
    private final Deque<Throwable> earFailures = new ArrayDeque<>();
    private final AtomicInteger serial = new AtomicInteger();
    final List<Double> tokenCalls = new ArrayList<>();
    final List<Double> attestCalls = new ArrayList<>();
    final List<String> earsPresented = new ArrayList<>();

    ScriptedIssuer(VirtualTime time, Duration latency, Duration tokenLifetime, Duration earLifetime) {
        this.time = time;
        this.latency = latency;
        this.tokenLifetime = tokenLifetime;
        this.earLifetime = earLifetime;
    }

    /** The next token calls fail with these, in order. */
    ScriptedIssuer failTokens(Throwable... failures) {
        tokenFailures.addAll(List.of(failures));
        return this;
    }

    /** The next attestations fail with these, in order. */
    ScriptedIssuer failAttestations(Throwable... failures) {
        earFailures.addAll(List.of(failures));
        return this;
    }

    @Override
    public synchronized CompletionStage<Credential> attest() {
        attestCalls.add(time.millis());
        return answer(earFailures.poll(), "ear-" + serial.incrementAndGet(), earLifetime);
    }

    @Override
    public synchronized CompletionStage<Credential> token(Credential ear) {
        tokenCalls.add(time.millis());
        earsPresented.add(ear.value());
        return answer(tokenFailures.poll(), "token-" + serial.incrementAndGet(), tokenLifetime);
    }

    private CompletionStage<Credential> answer(Throwable failure, String value, Duration lifetime) {
        return time.after(latency)
                .thenCompose(elapsed -> failure == null
                        ? CompletableFuture.completedFuture(new Credential(value, lifetime))
                        : CompletableFuture.failedFuture(failure));
    }
}
