package io.simanchor.support.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at a real in-JVM Kafka broker ({@link EmbeddedKafkaBroker}), started once
 * per test JVM and shared by every test class; tests that stop the broker must restart it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    /** The shared broker, started on first use. */
    public static synchronized EmbeddedKafkaBroker broker() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        // The lifecycle records tests publish are signed by the stand-in for identity-service's key, the
        // EARs of attestation results by the stand-in for attestation-service's.
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers(), TestRecordKeys.PROPERTY,
                TestRecordKeys.jwks(), TestVerifierKeys.PROPERTY, TestVerifierKeys.jwks());
    }

    @Override
    public void stop() {
        // Shared across the test classes of this JVM: stopped by the shutdown hook.
    }
}
