package io.simanchor.agent.cli;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import io.simanchor.agent.attest.AttestationClient;
import io.simanchor.agent.device.DeviceCredentials;
import io.simanchor.agent.device.ServerClock;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.SecureElement;
import io.simanchor.agent.sim.SigningMetrics;
import io.simanchor.agent.sim.SimSigner;
import io.simanchor.agent.sim.SimulatedIotSafe;
import io.simanchor.agent.sim.SoftwareKeyFile;
import io.simanchor.agent.token.TokenClient;
import io.simanchor.agent.token.TokenMetrics;

/** What the single-device commands share: the secure element, the profile, the services, the device id. */
final class DeviceOptions {

    static final Set<String> NAMES;
    static final String HELP = SecureElementOptions.HELP + """
                --profile P            production (default) or development; production refuses
                                       software keys (--sim software, iot-safe-model)
                --key-file FILE        development: where the software key is kept between runs
                                       (default device-key.pem; its chain goes to FILE.chain.pem)
                --identity-url URL     identity-service (default http://127.0.0.1:8081)
                --attestation-url URL  attestation-service (default http://127.0.0.1:8082)
                --token-service-url URL  token-service (default http://127.0.0.1:8084)
                --hw-model MODEL       the model the device reports (default tracker-x1)
            """;

    static {
        Set<String> names = new HashSet<>(SecureElementOptions.NAMES);
        names.addAll(Set.of("profile", "key-file", "identity-url", "attestation-url", "token-service-url",
                "hw-model"));
        NAMES = Set.copyOf(names);
    }

    private DeviceOptions() {
    }

    /** Opens the configured secure element, refusing a software key in the production profile. */
    static SecureElement element(Options options, Map<String, String> environment, Delays delays) {
        String profile = options.get("profile", "production");
        if (!profile.equals("production") && !profile.equals("development")) {
            throw new IllegalArgumentException("--profile must be production or development");
        }
        String kind = SecureElementOptions.kind(options, "pkcs11");
        if (!kind.equals("pkcs11") && profile.equals("production")) {
            throw new IllegalArgumentException("the production profile refuses --sim " + kind
                    + ": the point of IoT SAFE is that the key never leaves the SIM (use --profile development)");
        }
        if (kind.equals("pkcs11")) {
            return SecureElementOptions.openPkcs11(options, environment);
        }
        SecureElement key = SoftwareKeyFile.openOrCreate(Path.of(options.get("key-file", "device-key.pem")),
                new SecureRandom());
        if (kind.equals("software")) {
            return key;
        }
        return SecureElementOptions.simulated(options, key, SimulatedIotSafe.Sessions.KEEP_OPEN, delays);
    }

    /** The device id: the subject CN of the certificate in the element's slot (identity-service's format). */
    static String deviceId(SecureElement element) {
        List<X509Certificate> chain = element.certificateChain()
                .filter(certificates -> !certificates.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(
                        "the secure element holds no certificate yet: run `enroll` first"));
        RDN[] names = new X500Name(chain.get(0).getSubjectX500Principal().getName()).getRDNs(BCStyle.CN);
        if (names.length == 0) {
            throw new IllegalArgumentException("the certificate in the secure element has no CN");
        }
        return IETFUtils.valueToString(names[0].getFirst().getValue());
    }

    /** The credential calls of this device. */
    static DeviceCredentials credentials(Options options, String deviceId, SimSigner sim, JsonHttp http,
            Delays delays, TokenMetrics metrics) {
        return new DeviceCredentials(deviceId, sim,
                new AttestationClient(http, options.uri("attestation-url", "http://127.0.0.1:8082")),
                TokenClient.simAnchor(http, options.uri("token-service-url", "http://127.0.0.1:8084")),
                FleetAttestation.genuineState(options.get("hw-model", "tracker-x1")), options.get("scope"), delays,
                new ServerClock(Clock.systemUTC()), metrics);
    }

    static URI identityUrl(Options options) {
        return options.uri("identity-url", "http://127.0.0.1:8081");
    }

    /** A daemon timer for the SIM queue and the refreshes. */
    static ScheduledExecutorService timer() {
        return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agent-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A signer over {@code element}. */
    static SimSigner signer(SecureElement element, Delays delays) {
        return new SimSigner(element, delays, new SigningMetrics());
    }
}
