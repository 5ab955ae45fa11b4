package io.simanchor.support.testing;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import io.simanchor.support.messaging.KafkaAccessPolicy;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.tls.ServiceCa;

import kafka.server.BrokerServer;

/**
 * A real Kafka broker in this JVM: KRaft mode, one controller and one broker as separate nodes (so the
 * broker can be stopped and restarted while the controller keeps the metadata), built with Kafka's own
 * {@code kafka-test-common-runtime}. A restarted broker listens on the same port with the same log
 * directories, as a broker restarted by an operator would.
 *
 * <p>
 * It is secured like {@code ./platform}'s broker (issue 28, point 2): mutual TLS on every listener with
 * certificates of the test JVM's service CA ({@link TestServiceCa}), principals from their CN, KRaft's
 * {@code StandardAuthorizer} with only the broker and {@code simanchor-admin} as super users, and the ACLs
 * of {@code k8s/base/kafka/access-control.tsv}. A service's tests therefore connect as that service's
 * principal ({@link #connection}) and fail if the file forgot a permission it needs.
 *
 * <p>
 * The log directories are created here rather than by the test kit: left to itself it registers a shutdown
 * hook that deletes them, which races the hook stopping this broker, and a broker whose log directory
 * fails under it may halt the JVM with status 1 ({@code ReplicaManager.handleLogDirFailure}), failing a
 * test run whose tests all passed (suspected, not reproduced here). {@link #close()} deletes them once the
 * broker has stopped.
 *
 * <p>
 * A test JVM that exits with a non-zero status after saying goodbye fails the build with nothing but
 * surefire's "Error occurred in starting fork" (seen in CI, no dump, no hs_err). Kafka is one thing in the
 * JVM that halts or exits on its own ({@code Exit.halt}/{@code Exit.exit} on a log directory failure or
 * a fatal thread error), so it is made to say so on stderr first; it still halts or exits with its status.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /** Formats, starts and waits for a single-broker cluster. */
    public static EmbeddedKafkaBroker start() {
        Exit.setHaltProcedure((status, message) -> {
            reportEnding("halts", status, message);
            Runtime.getRuntime().halt(status);
        });
        Exit.setExitProcedure((status, message) -> {
            reportEnding("exits", status, message);
            System.exit(status);
        });
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setBaseDirectory(Files.createTempDirectory("simanchor-kafka-"))
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .build();
            var builder = new KafkaClusterTestKit.Builder(nodes);
            securitySettings().forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            var broker = new EmbeddedKafkaBroker(cluster);
            broker.applyAccessPolicy();
            return broker;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka cluster", e);
        }
    }

    /** The broker's TLS, authentication and authorization settings: those of ./platform's server.properties. */
    private static Map<String, String> securitySettings() {
        ServiceCa.ComponentKeys keys = TestServiceCa.keysOf(KafkaAccessPolicy.BROKER,
                ServiceCa.Usage.SERVER_AND_CLIENT);
        Map<String, String> settings = new HashMap<>(clientSettings(keys));
        settings.remove("security.protocol");
        settings.put("ssl.client.auth", "required");
        settings.put("ssl.principal.mapping.rules", ServiceCa.KAFKA_PRINCIPAL_MAPPING_RULE);
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:" + KafkaAccessPolicy.BROKER + ";User:" + KafkaAccessPolicy.ADMINISTRATION);
        settings.put("allow.everyone.if.no.acl.found", "false");
        // The test kit builds PLAINTEXT listeners only; this makes both of them TLS.
        settings.put("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:SSL");
        return settings;
    }

    private static Map<String, String> clientSettings(ServiceCa.ComponentKeys keys) {
        return Map.of("security.protocol", "SSL", "ssl.keystore.type", "PKCS12", "ssl.keystore.location",
                keys.keystore().toString(), "ssl.keystore.password", keys.password(), "ssl.key.password",
                keys.password(), "ssl.truststore.type", "PEM", "ssl.truststore.location",
                TestServiceCa.certificateFile().toString());
    }

    private void applyAccessPolicy() throws Exception {
        String text;
        try (var in = EmbeddedKafkaBroker.class.getResourceAsStream("kafka/access-control.tsv")) {
            if (in == null) {
                throw new IllegalStateException("kafka/access-control.tsv is not on the test class path");
            }
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        KafkaAccessPolicy policy = KafkaAccessPolicy.parse(text);
        try (Admin admin = Admin.create(administration().properties("access-policy"))) {
            policy.applyTo(admin);
            // The controller has them once applyTo returns; the broker, which authorizes, a moment later.
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get()).equals(policy.bindings())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not take the ACLs within 30 s");
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * How {@code principal} connects: mutual TLS with its certificate from the test service CA (issued on
     * first use; client-only for the administration and monitoring, as ./platform issues them), so the broker
     * authorizes it as {@code User:<principal>}.
     */
    public KafkaConnection connection(String principal) {
        boolean server = principal.equals(KafkaAccessPolicy.BROKER) || principal.endsWith("-service");
        Map<String, String> settings = new HashMap<>(clientSettings(TestServiceCa.keysOf(principal,
                server ? ServiceCa.Usage.SERVER_AND_CLIENT : ServiceCa.Usage.CLIENT)));
        settings.put("bootstrap.servers", bootstrapServers);
        return new KafkaConnection(settings);
    }

    /**
     * {@code principal}'s connection as a service's settings, {@code kafka.bootstrap.servers},
     * {@code kafka.ssl.keystore.location}, ...: a test resource's configuration, or with
     * {@link PackagedService#environmentName} a packaged service's environment.
     */
    public Map<String, String> serviceConfig(String principal) {
        Map<String, String> config = new HashMap<>();
        connection(principal).settings().forEach((key, value) -> config.put("kafka." + key, value));
        return config;
    }

    /** The connection of the super user {@code simanchor-admin}: past every ACL, as an operator's tools. */
    public KafkaConnection administration() {
        return connection(KafkaAccessPolicy.ADMINISTRATION);
    }

    /** New client properties of {@code simanchor-admin} with {@code client.id}, for test producers and consumers. */
    public Properties adminProperties(String clientId) {
        return administration().properties(clientId);
    }

    /** {@code host:port} of the broker; stays the same across {@link #restartBroker()}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker (the controller keeps running): clients see Kafka as unavailable. */
    public void stopBroker() {
        broker().shutdown();
        broker().awaitShutdown();
    }

    /** Starts the stopped broker again on the same port and log directories and waits until it is ready. */
    public void restartBroker() {
        broker().startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("the restarted broker did not become ready", e);
        }
    }

    private static void reportEnding(String verb, int status, String message) {
        new IllegalStateException("the embedded Kafka " + verb + " the test JVM with status " + status + ": " + message)
                .printStackTrace();
        System.err.flush();
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka cluster", e);
        }
    }
}
