package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.token.TokenClient;

/**
 * A client-credentials load against a token endpoint, the same for token-service and Keycloak: every
 * request's client assertion is signed before the clock starts (signing is the client's cost, not the
 * server's), then the requests run with a fixed number in flight, callers round-robin.
 */
final class TokenLoad {

    private static final Duration QUIET_WAIT = Duration.ofSeconds(30);

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

    /**
     * The token server's processes on this machine. Their CPU time over the timed requests gives tokens per
     * CPU-second, a figure that does not depend on the load generator sharing the machine.
     *
     * @param database the server's database when it runs in processes of its own (token-service's
     *        PostgreSQL; Keycloak's development database runs inside its JVM), reported beside the server:
     *        a server that hands work to its database would otherwise look cheaper per token than it is
     */
    record Processes(ProcessCpu server, Optional<ProcessCpu> database) {

        private Cpu read() {
            return new Cpu(server.seconds(), database.map(ProcessCpu::seconds).orElse(0.0));
        }
    }

    private final TokenClient tokens;
    private final PrintStream out;
    private final Optional<Processes> server;

    /** @param server the token server's processes on this machine, when known */
    TokenLoad(TokenClient tokens, PrintStream out, Optional<Processes> server) {
        this.tokens = tokens;
        this.out = out;
        this.server = server;
    }

    /**
     * Runs the warm-up at the first concurrency, then one timed run of {@code requests} per concurrency, in
     * order. The first run's figures are the result's top-level figures; further runs' go under
     * {@code "moreRuns"}, one object each.
     */
    Result run(List<Caller> callers, int warmup, int requests, List<Integer> concurrencies) {
        if (warmup > 0) {
            out.printf("%n  token load warm-up: %d untimed requests%n", warmup);
            load(callers, preSign(callers, warmup), concurrencies.get(0));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("tokenWarmup", warmup);
        figures.put("tokenClients", callers.size());
        List<Map<String, Object>> moreRuns = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < concurrencies.size(); i++) {
            if (i > 0 || warmup > 0) {
                server.ifPresent(this::awaitQuiet);
            }
            Result run = timed(callers, requests, concurrencies.get(i));
            failed += run.failed();
            if (i == 0) {
                figures.putAll(run.figures());
            } else {
                moreRuns.add(run.figures());
            }
        }
        if (!moreRuns.isEmpty()) {
            figures.put("moreRuns", moreRuns);
        }
        return new Result(figures, failed);
    }

    /**
     * Before a timed run that follows the warm-up or another run, when the server's process is known: waits,
     * at most {@link #QUIET_WAIT}, until it (with its database) has used less than 5 % of a core for half a
     * second, so that work left from the requests before (events still being published) is not counted in
     * this run.
     */
    private void awaitQuiet(Processes server) {
        long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
        try {
            double before = server.read().total();
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                double now = server.read().total();
                if (now - before < 0.025) {
                    return;
                }
                before = now;
            }
            out.printf("  the server is still busy after %d s; timing the next run all the same%n",
                    QUIET_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException gone) {
            // The process is gone: the timed run will say so when it reads the CPU time again.
        }
    }

    private Result timed(List<Caller> callers, int requests, int concurrency) {
        List<String> assertions = preSign(callers, requests);
        Optional<Cpu> cpuBefore = server.map(Processes::read);
        long start = System.nanoTime();
        List<Outcome> outcomes = load(callers, assertions, concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        Optional<Cpu> serverCpu = cpuBefore.map(before -> server.get().read().minus(before));
        List<Long> latencies = new ArrayList<>(outcomes.stream()
                .filter(outcome -> outcome.refusal().isEmpty())
                .map(Outcome::nanos)
                .toList());
        Collections.sort(latencies);
        Map<String, Long> refusals = new TreeMap<>(outcomes.stream()
                .flatMap(outcome -> outcome.refusal().stream())
                .collect(Collectors.groupingBy(refusal -> refusal, Collectors.counting())));
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
        if (!refusals.isEmpty()) {
            out.printf("  refused: %s%n", refusals);
        }
        serverCpu.ifPresent(cpu -> {
            int issued = latencies.size();
            out.printf("  server CPU over the timed requests: %.1f s, %.3f ms per token, %.0f tokens per CPU-second%n",
                    cpu.server(), cpu.server() * 1000 / issued, issued / cpu.server());
            figures.put("serverCpuSeconds", Math.round(cpu.server() * 100) / 100.0);
            figures.put("tokensPerCpuSecond", Math.round(issued / cpu.server()));
            if (server.get().database().isPresent()) {
                double both = cpu.total();
                out.printf("  with its database's CPU (%.1f s more): %.3f ms per token, %.0f tokens per CPU-second%n",
                        cpu.database(), both * 1000 / issued, issued / both);
                figures.put("databaseCpuSeconds", Math.round(cpu.database() * 100) / 100.0);
                figures.put("tokensPerCpuSecondWithDatabase", Math.round(issued / both));
            }
        });
        figures.put("tokenRequests", outcomes.size());
        figures.put("tokenConcurrency", concurrency);
        figures.put("tokensFailed", failed);
        figures.put("tokenRefusals", refusals);
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

    /** CPU seconds of the server and of its database (0 when not measured). */
    private record Cpu(double server, double database) {

        double total() {
            return server + database;
        }

        Cpu minus(Cpu before) {
            return new Cpu(server - before.server, database - before.database);
        }
    }

    /** One request: its latency, or why it was refused. */
    private record Outcome(long nanos, Optional<String> refusal) {
    }

    private List<Outcome> load(List<Caller> callers, List<String> assertions, int concurrency) {
        List<Integer> indexes = new ArrayList<>(assertions.size());
        for (int i = 0; i < assertions.size(); i++) {
            indexes.add(i);
        }
        return Await.result(BoundedConcurrency.map(indexes, concurrency, i -> {
            long start = System.nanoTime();
            return tokens.token(assertions.get(i), callers.get(i % callers.size()).ear(), Optional.empty())
                    .thenApply(token -> new Outcome(System.nanoTime() - start, Optional.empty()))
                    .exceptionally(failure -> new Outcome(-1, Optional.of(refusal(Await.causeOf(failure)))));
        }));
    }

    /**
     * "HTTP 429 temporarily_unavailable"; or, when no answer came, "no answer" and the transport's
     * exception class (a timeout, a refused connection).
     */
    static String refusal(Throwable failure) {
        if (failure instanceof HttpCallException call && call.status() > 0) {
            return "HTTP " + call.status()
                    + call.oauthError().filter(error -> !error.isEmpty()).map(error -> " " + error).orElse("");
        }
        Throwable why = failure instanceof HttpCallException call && call.getCause() != null
                ? call.getCause()
                : failure;
        return "no answer " + why.getClass().getSimpleName();
    }
}
