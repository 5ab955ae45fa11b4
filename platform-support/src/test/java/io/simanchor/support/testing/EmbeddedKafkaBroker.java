package io.simanchor.support.testing;

import java.nio.file.Files;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import kafka.server.BrokerServer;

/**
 * A real Kafka broker in this JVM: KRaft mode, one controller and one broker as separate nodes (so the
 * broker can be stopped and restarted while the controller keeps the metadata), built with Kafka's own
 * {@code kafka-test-common-runtime}. A restarted broker listens on the same port with the same log
 * directories, as a broker restarted by an operator would.
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
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka cluster", e);
        }
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
