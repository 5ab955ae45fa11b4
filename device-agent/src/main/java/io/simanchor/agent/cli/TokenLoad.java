package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.simanchor.agent.token.TokenClient;

/**
 * A client-credentials load against a token endpoint, the same for token-service and Keycloak: every
 * request's client assertion is signed before the clock starts (signing is the client's cost, not the
 * server's), then the requests run with a fixed number in flight, callers round-robin.
 */
final class TokenLoad {

    /**
     * A client of the endpoint.
     *
     * @param signer signs with its key (DER ECDSA P-256)
     * @param ear the attestation result token-service needs; empty for other servers
     */
    record Caller(String clientId, UnaryOperator<byte[]> signer, Optional<String> ear) {
    }

    /** Figures of a run and how many requests were refused. */
    record Result(Map<String, Object> figures, int failed) {
    }

    private final TokenClient tokens;
    private final PrintStream out;
    private final Optional<ProcessCpu> server;

    /**
     * @param server the token server's process on this machine, when known: its CPU time over the timed
     *        requests gives tokens per CPU-second, a figure that does not depend on the load generator
     */
    TokenLoad(TokenClient tokens, PrintStream out, Optional<ProcessCpu> server) {
        this.tokens = tokens;
        this.out = out;
        this.server = server;
    }

    Result run(List<Caller> callers, int warmup, int requests, int concurrency) {
        if (warmup > 0) {
            out.printf("%n  token load warm-up: %d untimed requests%n", warmup);
            load(callers, preSign(callers, warmup), concurrency);
        }
        List<String> assertions = preSign(callers, requests);
        Optional<Double> cpuBefore = server.map(ProcessCpu::seconds);
        long start = System.nanoTime();
        List<Long> outcomes = load(callers, assertions, concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        Optional<Double> serverCpu = cpuBefore.map(before -> server.get().seconds() - before);
        List<Long> latencies = new ArrayList<>(outcomes.stream().filter(nanos -> nanos >= 0).toList());
        Collections.sort(latencies);
        int failed = outcomes.size() - latencies.size();
        Map<String, Object> figures = new LinkedHashMap<>();
        out.printf("  Issued %d of %d tokens in %.2f s (%d in flight, %d clients): %.1f tokens/s", latencies.size(),
                outcomes.size(), seconds, concurrency, callers.size(), latencies.size() / seconds);
        if (!latencies.isEmpty()) {
            out.printf(", latency p50 %.1f ms, p99 %.1f ms", FleetEnrollment.percentile(latencies, 50),
                    FleetEnrollment.percentile(latencies, 99));
            figures.put("tokenLatencyP50Ms", Math.round(FleetEnrollment.percentile(latencies, 50) * 100) / 100.0);
            figures.put("tokenLatencyP99Ms", Math.round(FleetEnrollment.percentile(latencies, 99) * 100) / 100.0);
        }
        out.println();
        serverCpu.ifPresent(cpu -> {
            out.printf("  server CPU over the timed requests: %.1f s, %.3f ms per token, %.0f tokens per CPU-second%n",
                    cpu, cpu * 1000 / latencies.size(), latencies.size() / cpu);
            figures.put("serverCpuSeconds", Math.round(cpu * 100) / 100.0);
            figures.put("tokensPerCpuSecond", Math.round(latencies.size() / cpu));
        });
        figures.put("tokenRequests", outcomes.size());
        figures.put("tokenWarmup", warmup);
        figures.put("tokenConcurrency", concurrency);
        figures.put("tokenClients", callers.size());
        figures.put("tokensFailed", failed);
        figures.put("tokenSeconds", Math.round(seconds * 100) / 100.0);
        figures.put("tokensPerSecond", Math.round(latencies.size() / seconds * 10) / 10.0);
        return new Result(figures, failed);
    }

    private List<String> preSign(List<Caller> callers, int count) {
        List<String> assertions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Caller caller = callers.get(i % callers.size());
            assertions.add(tokens.assertion(caller.clientId(), caller.signer()));
        }
        return assertions;
    }

    /** Latency in nanoseconds of each request, -1 for a refused one. */
    private List<Long> load(List<Caller> callers, List<String> assertions, int concurrency) {
        List<Integer> indexes = new ArrayList<>(assertions.size());
        for (int i = 0; i < assertions.size(); i++) {
            indexes.add(i);
        }
        return Await.result(BoundedConcurrency.map(indexes, concurrency, i -> {
            long start = System.nanoTime();
            return tokens.token(assertions.get(i), callers.get(i % callers.size()).ear(), Optional.empty())
                    .thenApply(token -> System.nanoTime() - start)
                    .exceptionally(failure -> -1L);
        }));
    }
}
