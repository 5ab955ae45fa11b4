package io.simanchor.mud.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.mud.domain.DerivedPolicy;
import io.simanchor.mud.domain.DeviceFacts;
import io.simanchor.mud.domain.ModelPolicy;
import io.simanchor.mud.domain.MudFileValidator;
import io.simanchor.mud.domain.NftablesRuleset;
import io.simanchor.mud.domain.PolicyCalculator;
import io.simanchor.mud.domain.PolicySettings;
import io.simanchor.mud.infra.dns.ConfiguredHostResolver;
import io.simanchor.mud.infra.json.StrictMudDocuments;
import io.simanchor.mud.testing.MudFiles;
import io.simanchor.mud.testing.OpenSsl;

/**
 * The rendered nftables ruleset enforced for real: three network namespaces this test creates — a device,
 * a gateway forwarding its traffic, and servers behind the gateway — joined by veth pairs, with addresses
 * from 10.77.0.0/16 that exist only inside them (nothing leaves the namespaces). The gateway loads the
 * ruleset for the tracker's effective policy and the test shows allowed flows pass and denied ones are
 * dropped. Runs only where {@code nft} and network namespaces are available (root on Linux; {@code
 * ./platform test} installs nftables and iproute2); skipped with the reason elsewhere.
 */
class NftablesEnforcementTest {

    private static final String DEVICE_ADDRESS = "10.77.1.2";
    private static final String TELEMETRY = "10.77.2.10";
    private static final String PLATFORM = "10.77.2.11";
    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private static final String DEVICE_NS = "sa-dev-" + SUFFIX;
    private static final String GATEWAY_NS = "sa-gw-" + SUFFIX;
    private static final String SERVER_NS = "sa-srv-" + SUFFIX;

    private static final PolicyCalculator CALCULATOR = new PolicyCalculator(new PolicySettings(
            List.of(new PolicySettings.Endpoint("attestation", "attestation.simanchor.local", 443),
                    new PolicySettings.Endpoint("update", "updates.simanchor.local", 443)),
            Set.of("attestation", "update"), List.of("10.0.0.0/8"), Map.of(), Map.of(), "deny-all"));
    private static final NftablesRuleset NFTABLES = new NftablesRuleset(new ConfiguredHostResolver(Map.of(
            "telemetry.simanchor.local", List.of(TELEMETRY), "ntp.simanchor.local", List.of(TELEMETRY),
            "attestation.simanchor.local", List.of(PLATFORM), "updates.simanchor.local", List.of(PLATFORM)), false));

    private static Process servers;
    private static boolean created;

    @BeforeAll
    static void createNamespaces() throws Exception {
        assumeTrue(available("nft", "--version"), "nft is not installed (apt-get install nftables): skipped");
        assumeTrue(available("ip", "-V"), "ip is not installed (apt-get install iproute2): skipped");
        created = true;
        boolean namespaces = run("ip", "netns", "add", DEVICE_NS).exitCode() == 0;
        assumeTrue(namespaces, "network namespaces are not available here (needs root/CAP_SYS_ADMIN): skipped");
        sh("ip netns add " + GATEWAY_NS);
        sh("ip netns add " + SERVER_NS);
        sh("ip link add sa-d" + SUFFIX + " netns " + DEVICE_NS + " type veth peer name sa-g" + SUFFIX + " netns "
                + GATEWAY_NS);
        sh("ip link add sa-s" + SUFFIX + " netns " + SERVER_NS + " type veth peer name sa-h" + SUFFIX + " netns "
                + GATEWAY_NS);
        in(DEVICE_NS, "ip addr add " + DEVICE_ADDRESS + "/24 dev sa-d" + SUFFIX);
        in(DEVICE_NS, "ip link set sa-d" + SUFFIX + " up");
        in(DEVICE_NS, "ip link set lo up");
        in(DEVICE_NS, "ip route add default via 10.77.1.1");
        in(GATEWAY_NS, "ip addr add 10.77.1.1/24 dev sa-g" + SUFFIX);
        in(GATEWAY_NS, "ip addr add 10.77.2.1/24 dev sa-h" + SUFFIX);
        in(GATEWAY_NS, "ip link set sa-g" + SUFFIX + " up");
        in(GATEWAY_NS, "ip link set sa-h" + SUFFIX + " up");
        in(GATEWAY_NS, "sysctl -qw net.ipv4.ip_forward=1");
        in(SERVER_NS, "ip addr add " + TELEMETRY + "/24 dev sa-s" + SUFFIX);
        in(SERVER_NS, "ip addr add " + PLATFORM + "/24 dev sa-s" + SUFFIX);
        in(SERVER_NS, "ip link set sa-s" + SUFFIX + " up");
        in(SERVER_NS, "ip link set lo up");
        in(SERVER_NS, "ip route add default via 10.77.2.1");
        servers = new ProcessBuilder(List.of("ip", "netns", "exec", SERVER_NS, javaExecutable(), "-cp",
                System.getProperty("java.class.path"), TcpListeners.class.getName(), TELEMETRY + ":8883",
                TELEMETRY + ":2222", PLATFORM + ":443", PLATFORM + ":8883")).redirectErrorStream(true).start();
        String ready = new BufferedReader(new InputStreamReader(servers.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(ready).isEqualTo("listening");
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        if (servers != null) {
            servers.destroyForcibly().waitFor();
        }
        if (created) {
            // Deleting a namespace removes its veth ends, routes and ruleset with it.
            for (String namespace : List.of(DEVICE_NS, GATEWAY_NS, SERVER_NS)) {
                run("ip", "netns", "del", namespace);
            }
        }
    }

    @Test
    void an_affirming_tracker_reaches_its_telemetry_service_and_nothing_else() throws Exception {
        load(policy("affirming"));

        assertThat(connects(DEVICE_NS, TELEMETRY, 8883)).as("telemetry, allowed by the MUD file").isTrue();
        assertThat(connects(DEVICE_NS, TELEMETRY, 2222)).as("another port of the telemetry host").isFalse();
        assertThat(connects(DEVICE_NS, PLATFORM, 8883)).as("the telemetry port on another host").isFalse();
        assertThat(connects(SERVER_NS, DEVICE_ADDRESS, 22)).as("a connection opened towards the device").isFalse();
    }

    @Test
    void a_quarantined_tracker_reaches_only_the_attestation_and_update_endpoints() throws Exception {
        load(policy("contraindicated"));

        assertThat(connects(DEVICE_NS, PLATFORM, 443)).as("attestation and update endpoints").isTrue();
        assertThat(connects(DEVICE_NS, TELEMETRY, 8883)).as("telemetry, allowed only when affirming").isFalse();
    }

    @Test
    void a_revocation_cuts_a_connection_the_device_already_has() throws Exception {
        load(policy("affirming"));
        Path dir = Files.createTempDirectory("conn");
        // Opens a connection allowed while affirming, proves it echoes, waits for the go, then tries again.
        String script = "exec 3<>/dev/tcp/" + TELEMETRY + "/8883 || exit 2; echo one >&3; read -t 2 a <&3 || exit 3; "
                + "touch " + dir.resolve("open") + "; while [ ! -f " + dir.resolve("go") + " ]; do sleep 0.1; done; "
                + "echo two >&3; read -t 2 b <&3 && exit 0 || exit 4";
        Process client = new ProcessBuilder("ip", "netns", "exec", DEVICE_NS, "bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(dir.resolve("open")) && client.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(dir.resolve("open")).as("the connection opened and echoed").exists();

        load(revoked(policy("affirming")));
        Files.createFile(dir.resolve("go"));

        assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("the established connection no longer passes").isEqualTo(4);
    }

    @Test
    void without_the_ruleset_everything_passes_which_is_what_the_other_tests_rule_out() throws Exception {
        in(GATEWAY_NS, "nft flush ruleset");

        assertThat(connects(DEVICE_NS, TELEMETRY, 2222)).isTrue();
        assertThat(connects(DEVICE_NS, PLATFORM, 8883)).isTrue();
    }

    private static MudPolicyV1 policy(String status) {
        String manufacturer = MudFiles.DEMO_MANUFACTURER;
        MudFileValidator.Location location = new MudFileValidator.Location(
                MudFiles.URLS.fileUrl(manufacturer, "tracker-x1"), MudFiles.URLS.signatureUrl(manufacturer,
                        "tracker-x1"));
        var file = MudFileValidator.validate(new StrictMudDocuments().parse(MudFiles.demo("tracker-x1")
                .getBytes(StandardCharsets.UTF_8)), location);
        DeviceFacts device = new DeviceFacts("device-1", "default", manufacturer, "tracker-x1", "thumbprint",
                DeviceState.ACTIVE, new DeviceFacts.Attestation(status, "policy", "thumbprint", Instant.now()));
        DerivedPolicy derived = CALCULATOR.derive(device, Optional.of(new ModelPolicy(1, location.mudUrl(), file)));
        return new MudPolicyV1(device.deviceId(), device.tenantId(), manufacturer, device.hwModel(), 1, derived.tier(),
                derived.basis(), derived.rules(), derived.reasons(), Instant.now());
    }

    private static MudPolicyV1 revoked(MudPolicyV1 policy) {
        DerivedPolicy derived = CALCULATOR.derive(new DeviceFacts(policy.deviceId(), policy.tenantId(),
                policy.manufacturer(), policy.hwModel(), "thumbprint", DeviceState.REVOKED, null), Optional.empty());
        return new MudPolicyV1(policy.deviceId(), policy.tenantId(), policy.manufacturer(), policy.hwModel(),
                policy.version() + 1, derived.tier(), derived.basis(), derived.rules(), derived.reasons(),
                Instant.now());
    }

    private static void load(MudPolicyV1 policy) throws Exception {
        String ruleset = NFTABLES.render(policy, InetAddress.getByName(DEVICE_ADDRESS));
        Path file = Files.createTempFile("policy", ".nft");
        Files.writeString(file, ruleset);
        OpenSsl.Result loaded = run("ip", "netns", "exec", GATEWAY_NS, "nft", "-f", file.toString());
        assertThat(loaded.exitCode()).as(loaded.output() + "\n" + ruleset).isZero();
    }

    /** Whether a TCP connection from {@code namespace} to {@code address:port} opens within 2 s. */
    private static boolean connects(String namespace, String address, int port) throws Exception {
        return run("ip", "netns", "exec", namespace, "timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port).exitCode() == 0;
    }

    private static void in(String namespace, String command) throws Exception {
        List<String> words = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        words.addAll(List.of(command.split(" ")));
        OpenSsl.Result result = OpenSsl.run(words);
        assertThat(result.exitCode()).as(command + ": " + result.output()).isZero();
    }

    private static void sh(String command) throws Exception {
        OpenSsl.Result result = OpenSsl.run(List.of(command.split(" ")));
        assertThat(result.exitCode()).as(command + ": " + result.output()).isZero();
    }

    private static OpenSsl.Result run(String... command) throws Exception {
        return OpenSsl.run(List.of(command));
    }

    private static boolean available(String... command) {
        try {
            return OpenSsl.run(List.of(command)).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new UncheckedIOException(
                        new IOException("cannot find the running java executable")));
    }
}
