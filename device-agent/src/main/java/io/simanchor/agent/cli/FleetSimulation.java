package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.attest.EvidenceBuilder;
import io.simanchor.agent.device.DeviceCredentials;
import io.simanchor.agent.device.DeviceEnrollment;
import io.simanchor.agent.device.ServerClock;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.metrics.LatencyHistogram;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.FaultInjection;
import io.simanchor.agent.sim.SigningMetrics;
import io.simanchor.agent.sim.SimLatencyModel;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.sim.SimulatedIotSafe;
import io.simanchor.agent.sim.SoftwareSecureElement;
import io.simanchor.agent.token.Credential;
import io.simanchor.agent.token.TokenClient;
import io.simanchor.agent.token.TokenManager;
import io.simanchor.agent.token.TokenMetrics;

/**
 * The fleet simulator: N devices in one JVM, each with its own software key behind a simulated IoT SAFE
 * SIM (its own serial queue and the study's latencies), enroll, attest and get a token through the
 * running platform, then ask for tokens at a steady rate for a while, as their applications would. Beside
 * them, a few naive devices sign a fresh client assertion for every request, on a SIM that opens a session
 * every time: the comparison the agent exists for. Prints a progress line every ten seconds and a report.
 */
final class FleetSimulation {

    /**
     * Settings of a run.
     *
     * @param devices devices using the agent's token manager
     * @param naiveDevices devices signing a fresh assertion per request (the comparison)
     * @param duration how long the applications ask for tokens
     * @param callsPerSecond how often each device's application asks for a token
     * @param concurrency devices enrolling or pre-authenticating at once
     * @param simFaults share of SIM operations failing with an injected PKCS#11 error
     */
    record Settings(int devices, int naiveDevices, Duration duration, double callsPerSecond, int concurrency,
            Operator operator, URI attestationUrl, URI tokenServiceUrl, String hwModel, double simFaults) {
    }

    /** A simulated device: its SIM, and its credentials once enrolled. */
    private static final class Device {

        final String iccid;
        final SimSigner sim;
        final boolean naive;
        String deviceId;
        DeviceCredentials credentials;
        TokenManager manager;
        volatile Credential ear;
        volatile long earRenewAt;
        ScheduledFuture<?> application;
        String failure;

        Device(String iccid, SimSigner sim, boolean naive) {
            this.iccid = iccid;
            this.sim = sim;
            this.naive = naive;
        }
    }

    /** What the applications saw, per kind of device. */
    private static final class Seen {

        final LatencyHistogram timeToToken = new LatencyHistogram();
        final LongAdder calls = new LongAdder();
        final LongAdder waited = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final Map<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();

        void record(long nanos, boolean waitedForSim, Throwable failure) {
            calls.increment();
            if (nanos > AUTHENTICATION_TIMEOUT.toNanos()) {
                timeouts.increment();
            }
            if (waitedForSim) {
                waited.increment();
            }
            if (failure != null) {
                failed.increment();
                failures.computeIfAbsent(FleetEnrollment.messageOf(failure), k -> new LongAdder()).increment();
            } else {
                timeToToken.recordNanos(nanos);
            }
        }
    }

    /** A call that waits longer than this for its token counts as an authentication timeout. */
    private static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);

    private final Settings settings;
    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();
    private final SigningMetrics agentSim = new SigningMetrics();
    private final SigningMetrics naiveSim = new SigningMetrics();
    private final TokenMetrics managers = new TokenMetrics();
    private final TokenMetrics naiveNetwork = new TokenMetrics();
    private final Seen agentSeen = new Seen();
    private final Seen naiveSeen = new Seen();

    FleetSimulation(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the simulation; the result counts devices that never got going and failed calls. */
    FleetEnrollment.Result run() {
        // Two threads: the simulated SIMs' completions (a software signature and its verification each) and
        // the applications' calls share them; one thread alone fell behind enrolling 10,000 devices, which
        // stretched the simulated signing times. Each device's operations stay ordered by its SimSigner.
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "fleet-timer");
            thread.setDaemon(true);
            return thread;
        });
        Delays delays = Delays.on(timer);
        List<Device> fleet = new ArrayList<>();
        try (Operator.Session session = settings.operator().signIn(settings.concurrency())) {
            FleetAttestation.provisionReferenceValues(session.http(), session.token(), settings.attestationUrl(),
                    settings.hwModel());
            for (int i = 0; i < settings.devices() + settings.naiveDevices(); i++) {
                fleet.add(device(i >= settings.devices(), delays));
            }
            register(session, fleet);
            enroll(session, fleet);
            List<Device> running = fleet.stream().filter(d -> d.failure == null).toList();
            preAuthenticate(session.http(), running, delays);
            running = running.stream().filter(d -> d.failure == null).toList();
            long signaturesBefore = agentSim.signatures();
            long sessionsOpenedBefore = agentSim.sessionsOpened();
            steadyState(running, timer);
            return report(fleet, running, agentSim.signatures() - signaturesBefore,
                    agentSim.sessionsOpened() - sessionsOpenedBefore);
        } finally {
            fleet.stream().filter(d -> d.manager != null).forEach(d -> d.manager.close());
            fleet.forEach(d -> d.sim.close());
            timer.shutdownNow();
        }
    }

    private Device device(boolean naive, Delays delays) {
        SimulatedIotSafe sim = new SimulatedIotSafe(SoftwareSecureElement.generate(random), SimLatencyModel.STUDY,
                FaultInjection.pkcs11Errors(settings.simFaults() / 3),
                naive ? SimulatedIotSafe.Sessions.PER_OPERATION : SimulatedIotSafe.Sessions.KEEP_OPEN, delays,
                random);
        return new Device(SimulatedSims.iccid(random), new SimSigner(sim, delays, naive ? naiveSim : agentSim), naive);
    }

    private void register(Operator.Session session, List<Device> fleet) {
        SimVendor vendor = SimVendor.registered(session.identity(), session.token(), "default", random);
        Await.result(BoundedConcurrency.map(fleet, settings.concurrency(),
                device -> session.identity()
                        .register(session.token(), vendor.registration(device.iccid, SimulatedSims.imei(random),
                                settings.hwModel(), device.sim.element().publicKey()))));
        out.printf("  registered %d devices (%d with the agent, %d naive)%n", fleet.size(), settings.devices(),
                settings.naiveDevices());
    }

    private void enroll(Operator.Session session, List<Device> fleet) {
        long start = System.nanoTime();
        Progress progress = new Progress("enrolled (CSR signed by the simulated SIM)", fleet.size());
        Await.result(BoundedConcurrency.map(fleet, settings.concurrency(),
                device -> DeviceEnrollment.enroll(session.identity(), device.iccid, device.sim)
                        .handle((enrolled, failure) -> {
                            if (failure == null) {
                                device.deviceId = enrolled.deviceId();
                            } else {
                                device.failure = "enrollment: " + FleetEnrollment.messageOf(failure);
                            }
                            progress.step();
                            return null;
                        })));
        out.printf("  enrollment took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Agent devices start their token manager (attest, then token); naive devices attest once and sign an
     * assertion per request from then on.
     */
    private void preAuthenticate(JsonHttp http, List<Device> devices, Delays delays) {
        AttestationClient attestation = new AttestationClient(http, settings.attestationUrl());
        TokenClient tokens = TokenClient.simAnchor(http, settings.tokenServiceUrl());
        EvidenceBuilder.DeviceState state = FleetAttestation.genuineState(settings.hwModel());
        long start = System.nanoTime();
        Progress progress = new Progress("pre-authenticated (EAR and first token)", devices.size());
        Await.result(BoundedConcurrency.map(devices, settings.concurrency(), device -> {
            device.credentials = new DeviceCredentials(device.deviceId, device.sim, attestation, tokens, state,
                    Optional.empty(), delays, new ServerClock(Clock.systemUTC()),
                    device.naive ? naiveNetwork : managers);
            CompletionStage<?> ready;
            if (device.naive) {
                ready = withRetries(device.credentials::attest, delays, 20).thenAccept(ear -> keep(device, ear));
            } else {
                device.manager = new TokenManager(device.credentials, delays, random,
                        TokenManager.Settings.DEFAULTS, agentSim, managers);
                ready = device.manager.start();
            }
            return ready.toCompletableFuture().orTimeout(5, TimeUnit.MINUTES).handle((done, failure) -> {
                if (failure != null) {
                    device.failure = "pre-authentication: " + FleetEnrollment.messageOf(failure);
                }
                progress.step();
                return null;
            });
        }));
        out.printf("  pre-authentication took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Retries a step a few times: a device enrolled a moment ago reaches the verifier's view within 5 s. */
    private static <T> CompletionStage<T> withRetries(java.util.function.Supplier<CompletionStage<T>> step,
            Delays delays, int attempts) {
        return step.get().handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (attempts <= 1) {
                return CompletableFuture.<T>failedFuture(failure);
            }
            return delays.after(Duration.ofMillis(250))
                    .thenCompose(later -> withRetries(step, delays, attempts - 1));
        }).thenCompose(stage -> stage);
    }

    private void steadyState(List<Device> devices, ScheduledExecutorService timer) {
        out.printf("%n  Steady state: %d devices ask for a token %.1f times a second each, for %s%n", devices.size(),
                settings.callsPerSecond(), settings.duration());
        long period = Math.max(1, (long) (1e9 / settings.callsPerSecond()));
        for (Device device : devices) {
            long phase = (long) (random.nextDouble() * period);
            device.application = timer.scheduleAtFixedRate(() -> call(device), phase, period, TimeUnit.NANOSECONDS);
        }
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        while (System.nanoTime() < end) {
            sleep(Math.min(Duration.ofSeconds(10).toNanos(), end - System.nanoTime()));
            out.printf("  %4.0f s  calls %d (agent %d, naive %d)  agent p99 %.2f ms, waited %d  naive p50 %.0f ms  "
                    + "refreshes %d  SIM errors %d%n", (System.nanoTime() - start) / 1e9,
                    agentSeen.calls.sum() + naiveSeen.calls.sum(), agentSeen.calls.sum(), naiveSeen.calls.sum(),
                    agentSeen.timeToToken.percentileMillis(99), agentSeen.waited.sum(),
                    naiveSeen.timeToToken.percentileMillis(50), managers.tokenRefreshes(),
                    agentSim.errors() + naiveSim.errors());
        }
        devices.forEach(device -> device.application.cancel(false));
        sleep(Duration.ofSeconds(3).toNanos());
    }

    private void call(Device device) {
        long start = System.nanoTime();
        CompletableFuture<String> token;
        if (device.naive) {
            token = naiveEar(device).thenCompose(device.credentials::token)
                    .thenApply(Credential::value)
                    .toCompletableFuture();
        } else {
            token = device.manager.token(TokenManager.Wait.WAIT).toCompletableFuture();
        }
        // A token already there when token() returns came from the cache; any other waited for the SIM.
        boolean waited = !token.isDone();
        Seen seen = device.naive ? naiveSeen : agentSeen;
        token.whenComplete((value, failure) -> seen.record(System.nanoTime() - start, waited, failure));
    }

    /** A naive device attests again when its EAR is a minute from expiry (an hour after the last time). */
    private static CompletionStage<Credential> naiveEar(Device device) {
        if (System.nanoTime() < device.earRenewAt) {
            return CompletableFuture.completedFuture(device.ear);
        }
        return device.credentials.attest().thenApply(ear -> {
            keep(device, ear);
            return ear;
        });
    }

    private static void keep(Device device, Credential ear) {
        device.ear = ear;
        device.earRenewAt = System.nanoTime() + ear.lifetime().minusMinutes(1).toNanos();
    }

    private FleetEnrollment.Result report(List<Device> fleet, List<Device> running, long steadySignatures,
            long steadySessionsOpened) {
        long agents = running.stream().filter(d -> !d.naive).count();
        double hours = settings.duration().toNanos() / 3.6e12;
        out.println();
        out.println("  Report");
        out.printf("    devices: %d with the agent, %d naive; %d did not get going%n", agents, running.size() - agents,
                fleet.size() - running.size());
        fleet.stream()
                .filter(d -> d.failure != null)
                .limit(5)
                .forEach(d -> out.printf("      %s: %s%n", d.iccid,
                        d.failure));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "fleet");
        figures.put("devices", settings.devices());
        figures.put("naiveDevices", settings.naiveDevices());
        figures.put("durationSeconds", settings.duration().toSeconds());
        figures.put("callsPerDevicePerSecond", settings.callsPerSecond());
        figures.put("notStarted", fleet.size() - running.size());
        figures.put("agent", seenFigures("agent (token manager)", agentSeen));
        figures.put("naive", seenFigures("naive (fresh assertion per call)", naiveSeen));
        double simOpsPerDeviceHour = agents == 0 || hours == 0 ? 0 : steadySignatures / (agents * hours);
        out.printf("    agent SIM: %.1f operations per device-hour in steady state (%d signatures, %d new sessions);"
                + " success rate %.4f; session reused %d times, opened %d times; errors %s%n", simOpsPerDeviceHour,
                steadySignatures, steadySessionsOpened, agentSim.successRate(), agentSim.sessionsReused(),
                agentSim.sessionsOpened(), agentSim.errorsByReason());
        out.printf("    agent SIM signing time: mean %.1f ms, p99 %.1f ms; queue wait p99 %.1f ms%n",
                agentSim.signingTime().meanMillis(), agentSim.signingTime().percentileMillis(99),
                agentSim.queueWait().percentileMillis(99));
        out.printf("    token manager: %d tokens, %d EARs, %d failed attempts (retried); cache hit ratio %.5f%n",
                managers.tokenRefreshes(), managers.earRefreshes(), managers.refreshFailures(), managers.hitRatio());
        if (managers.remainingAtRefresh().count() == 0) {
            out.println("    refresh spread: no token needed renewing in this run (the first ones outlive it)");
        } else {
            out.printf("    refresh spread: %d renewals began when the old token had %.0f–%.0f s left (p50 %.0f s)%n",
                    managers.remainingAtRefresh().count(), managers.remainingAtRefresh().percentileMillis(0) / 1000,
                    managers.remainingAtRefresh().maxMillis() / 1000,
                    managers.remainingAtRefresh().percentileMillis(50) / 1000);
        }
        if (managers.refreshFailures() > 0) {
            out.printf("    failed attempts by reason: %s%n", managers.failureReasons());
        }
        figures.put("simOperationsPerDeviceHour", Math.round(simOpsPerDeviceHour * 10) / 10.0);
        figures.put("simSuccessRate", agentSim.successRate());
        figures.put("simErrors", agentSim.errorsByReason().toString());
        figures.put("sessionsReused", agentSim.sessionsReused());
        figures.put("sessionsOpened", agentSim.sessionsOpened());
        figures.put("simSigningP99Ms", agentSim.signingTime().percentileMillis(99));
        figures.put("tokensObtained", managers.tokenRefreshes());
        figures.put("refreshFailures", managers.refreshFailures());
        figures.put("refreshFailureReasons", managers.failureReasons().toString());
        figures.put("refreshLeadMinSeconds", managers.remainingAtRefresh().percentileMillis(0) / 1000);
        figures.put("refreshLeadMaxSeconds", managers.remainingAtRefresh().maxMillis() / 1000);
        figures.put("cacheHitRatio", managers.hitRatio());
        int failed = (int) (fleet.size() - running.size() + agentSeen.failed.sum() + naiveSeen.failed.sum());
        return new FleetEnrollment.Result(failed, figures);
    }

    private Map<String, Object> seenFigures(String label, Seen seen) {
        long calls = seen.calls.sum();
        double waitedShare = calls == 0 ? 0 : (double) seen.waited.sum() / calls;
        LatencyHistogram time = seen.timeToToken;
        out.printf("    %-34s %9d calls, time to token p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms;"
                + " waited for the SIM %.4f %%; authentication timeouts (> 10 s) %d; failed %d%n", label + ":", calls,
                time.percentileMillis(50), time.percentileMillis(99), time.percentileMillis(99.9), time.maxMillis(),
                waitedShare * 100, seen.timeouts.sum(), seen.failed.sum());
        seen.failures.entrySet()
                .stream()
                .limit(3)
                .forEach(f -> out.printf("      %d × %s%n", f.getValue().sum(),
                        f.getKey()));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("calls", calls);
        figures.put("timeToTokenP50Ms", time.percentileMillis(50));
        figures.put("timeToTokenP99Ms", time.percentileMillis(99));
        figures.put("timeToTokenP999Ms", time.percentileMillis(99.9));
        figures.put("timeToTokenMaxMs", time.maxMillis());
        figures.put("waitedShare", waitedShare);
        figures.put("authenticationTimeouts", seen.timeouts.sum());
        figures.put("failed", seen.failed.sum());
        return figures;
    }

    /** A progress line at every tenth of the work. */
    private final class Progress {

        private final String label;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();

        Progress(String label, int total) {
            this.label = label;
            this.total = total;
        }

        void step() {
            int finished = done.incrementAndGet();
            if (finished % Math.max(1, total / 10) == 0 || finished == total) {
                out.printf("  %s %d/%d%n", label, finished, total);
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
