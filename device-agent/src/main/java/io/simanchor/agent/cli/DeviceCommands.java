package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.simanchor.agent.device.DeviceCredentials;
import io.simanchor.agent.device.DeviceEnrollment;
import io.simanchor.agent.device.DeviceKeyRotation;
import io.simanchor.agent.enroll.IdentityClient;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.token.Credential;
import io.simanchor.agent.token.TokenManager;
import io.simanchor.agent.token.TokenMetrics;

/** The commands of one device: {@code enroll}, {@code attest}, {@code token} and {@code run}. */
final class DeviceCommands {

    private DeviceCommands() {
    }

    /** Everything a device command holds while it runs. */
    private record Device(ScheduledExecutorService timer, Delays delays, SimSigner sim, JsonHttp http)
            implements
                AutoCloseable {

        static Device open(Options options, Map<String, String> environment) {
            ScheduledExecutorService timer = DeviceOptions.timer();
            Delays delays = Delays.on(timer);
            SimSigner sim = null;
            try {
                sim = DeviceOptions.signer(DeviceOptions.element(options, environment, delays), delays);
                return new Device(timer, delays, sim, JsonHttp.open(2));
            } catch (RuntimeException e) {
                if (sim != null) {
                    sim.close();
                }
                timer.shutdownNow();
                throw e;
            }
        }

        @Override
        public void close() {
            http.close();
            sim.close();
            timer.shutdownNow();
        }
    }

    /** One line about the device's certificate after an enrollment or a rotation. */
    private static void printCertificate(PrintStream out, String what, DeviceEnrollment.Enrolled device) {
        out.printf("%s: device %s, certificate serial %s, valid until %s%n", what, device.deviceId(),
                device.chain().get(0).getSerialNumber().toString(16), device.chain().get(0).getNotAfter().toInstant());
    }

    /** {@code enroll}. */
    static final class Enroll implements Command {

        @Override
        public String name() {
            return "enroll";
        }

        @Override
        public String summary() {
            return "enroll this device: challenge, CSR signed by the SIM, certificate chain into the SIM";
        }

        @Override
        public String help() {
            return """
                    enroll the SIM with identity-service: a challenge for its ICCID, a PKCS#10 CSR with the
                    nonce as challengePassword signed by the SIM, the issued chain stored in the SIM's
                    certificate slot; prints the device id
                        --iccid ICCID          the SIM's ICCID, as registered by the operator (required)
                    """ + DeviceOptions.HELP;
        }

        @Override
        public Set<String> options() {
            Set<String> names = new HashSet<>(DeviceOptions.NAMES);
            names.add("iccid");
            return names;
        }

        @Override
        public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out) {
            String iccid = options.get("iccid").orElseThrow(() -> new IllegalArgumentException("--iccid is required"));
            try (Device device = Device.open(options, environment)) {
                DeviceEnrollment.Enrolled enrolled = Await.result(DeviceEnrollment.enroll(
                        new IdentityClient(device.http(), DeviceOptions.identityUrl(options)), iccid, device.sim()));
                printCertificate(out, "enrolled", enrolled);
                return 0;
            }
        }
    }

    /** {@code rotate-key}. */
    static final class RotateKey implements Command {

        @Override
        public String name() {
            return "rotate-key";
        }

        @Override
        public String summary() {
            return "replace the SIM key: new key in the SIM, CSR and proof by the old key, new chain into the SIM";
        }

        @Override
        public String help() {
            return """
                    rotate this device's key with identity-service: a rotation challenge, a new key generated
                    in the SIM, its CSR signed by the new key and a proof signed by the current one, then the
                    new key and its chain take the old key's place in the SIM; prints the new certificate
                    """ + DeviceOptions.HELP;
        }

        @Override
        public Set<String> options() {
            return DeviceOptions.NAMES;
        }

        @Override
        public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out) {
            try (Device device = Device.open(options, environment)) {
                String deviceId = DeviceOptions.deviceId(device.sim().element());
                DeviceEnrollment.Enrolled rotated = Await.result(DeviceKeyRotation.rotate(
                        new IdentityClient(device.http(), DeviceOptions.identityUrl(options)), deviceId, device.sim()));
                printCertificate(out, "rotated", rotated);
                return 0;
            }
        }
    }

    /** {@code attest}. */
    static final class Attest implements Command {

        @Override
        public String name() {
            return "attest";
        }

        @Override
        public String summary() {
            return "attest this device: challenge, EAT signed by the SIM, EAR";
        }

        @Override
        public String help() {
            return """
                    attest with attestation-service: a nonce, EAT evidence signed by the SIM, the EAR;
                    prints the EAR's status and lifetime
                    """ + DeviceOptions.HELP;
        }

        @Override
        public Set<String> options() {
            return DeviceOptions.NAMES;
        }

        @Override
        public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out) {
            try (Device device = Device.open(options, environment)) {
                String deviceId = DeviceOptions.deviceId(device.sim().element());
                Credential ear = Await.result(DeviceOptions.credentials(options, deviceId, device.sim(),
                        device.http(), device.delays(), new TokenMetrics()).attest());
                out.printf("attested: device %s, EAR valid for %s%n", deviceId, ear.lifetime());
                return 0;
            }
        }
    }

    /** {@code token}. */
    static final class Token implements Command {

        @Override
        public String name() {
            return "token";
        }

        @Override
        public String summary() {
            return "attest, then get an access token with an assertion signed by the SIM; prints the token";
        }

        @Override
        public String help() {
            return """
                    attest, then ask token-service for an access token with an RFC 7523 client assertion
                    signed by the SIM and the EAR; prints the token alone on standard output
                        --scope SCOPE          the scope to ask for (default: token-service's)
                    """ + DeviceOptions.HELP;
        }

        @Override
        public Set<String> options() {
            Set<String> names = new HashSet<>(DeviceOptions.NAMES);
            names.add("scope");
            return names;
        }

        @Override
        public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out) {
            try (Device device = Device.open(options, environment)) {
                String deviceId = DeviceOptions.deviceId(device.sim().element());
                DeviceCredentials credentials = DeviceOptions.credentials(options, deviceId, device.sim(),
                        device.http(), device.delays(), new TokenMetrics());
                Credential token = Await.result(credentials.attest().thenCompose(credentials::token));
                out.println(token.value());
                return 0;
            }
        }
    }

    /** {@code run}. */
    static final class Run implements Command {

        /** A call waiting longer than this counts as an authentication timeout. */
        private static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);
        /** Longest wait for the first EAR and token; the manager retries with back-off meanwhile. */
        private static final Duration PRE_AUTHENTICATION_TIMEOUT = Duration.ofMinutes(2);

        @Override
        public String name() {
            return "run";
        }

        @Override
        public String summary() {
            return "run the agent: pre-authenticate, keep a token ready, report the SIM and cache figures";
        }

        @Override
        public String help() {
            return """
                    run the agent for this device: open the SIM session, get an EAR and a token at once,
                    then keep them fresh in the background while a stand-in application asks for a token
                    at --rate; every 10 s prints the figures the IoT SAFE study asks to monitor (signing
                    success rate and time, session reuse, SIM errors, authentication timeouts) and the cache
                    hit ratio and time to token
                        --duration D           stop after D (default: run until stopped)
                        --rate R               application token requests per second (default 1)
                        --scope SCOPE          the scope to ask for (default: token-service's)
                    """ + DeviceOptions.HELP;
        }

        @Override
        public Set<String> options() {
            Set<String> names = new HashSet<>(DeviceOptions.NAMES);
            names.addAll(Set.of("duration", "rate", "scope"));
            return names;
        }

        @Override
        public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
                throws InterruptedException {
            Duration duration = options.duration("duration", Duration.ofDays(36_500));
            double rate = options.decimal("rate", 1, 0.001, 1000);
            try (Device device = Device.open(options, environment)) {
                String deviceId = DeviceOptions.deviceId(device.sim().element());
                TokenMetrics metrics = new TokenMetrics();
                DeviceCredentials credentials = DeviceOptions.credentials(options, deviceId, device.sim(),
                        device.http(), device.delays(), metrics);
                TokenManager manager = new TokenManager(credentials, device.delays(), new SecureRandom(),
                        TokenManager.Settings.DEFAULTS, device.sim().metrics(), metrics);
                out.printf("device %s: pre-authenticating (SIM %s)%n", deviceId, device.sim().element().kind());
                Await.result(manager.start()
                        .toCompletableFuture()
                        .orTimeout(PRE_AUTHENTICATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(failure -> {
                            if (Await.causeOf(failure) instanceof TimeoutException) {
                                throw new IllegalStateException("no EAR and token after "
                                        + PRE_AUTHENTICATION_TIMEOUT.toMinutes() + " min: " + metrics.failureReasons());
                            }
                            throw new java.util.concurrent.CompletionException(failure);
                        }));
                java.util.concurrent.atomic.LongAdder timeouts = new java.util.concurrent.atomic.LongAdder();
                long period = Math.max(1, (long) (1e9 / rate));
                var application = device.timer()
                        .scheduleAtFixedRate(() -> manager.token(TokenManager.Wait.WAIT)
                                .toCompletableFuture()
                                .orTimeout(AUTHENTICATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .whenComplete((token, failure) -> {
                                    if (failure instanceof TimeoutException) {
                                        timeouts.increment();
                                    }
                                }), 0, period, TimeUnit.NANOSECONDS);
                long end = System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(Duration.ofSeconds(10).toNanos(), end - System.nanoTime()));
                    report(out, device.sim(), metrics, timeouts.sum());
                }
                application.cancel(false);
                manager.close();
                return metrics.refused() == 0 && timeouts.sum() == 0 ? 0 : 1;
            }
        }

        private static void report(PrintStream out, SimSigner sim, TokenMetrics metrics, long timeouts) {
            var signing = sim.metrics();
            out.printf(
                    "SIM: %d signatures, success rate %.4f, mean %.1f ms, p99 %.1f ms, session reused %d / opened %d,"
                            + " errors %s | tokens: %d calls, cache hit ratio %.4f, time to token p99 %.3f ms, waited %d,"
                            + " authentication timeouts %d, refreshes %d, failed attempts %s%n",
                    signing.signatures(),
                    signing.successRate(), signing.signingTime().meanMillis(),
                    signing.signingTime().percentileMillis(99), signing.sessionsReused(), signing.sessionsOpened(),
                    signing.errorsByReason(), metrics.calls(), metrics.hitRatio(),
                    metrics.timeToToken().percentileMillis(99), metrics.waited(), timeouts, metrics.tokenRefreshes(),
                    metrics.failureReasons());
        }
    }

}
