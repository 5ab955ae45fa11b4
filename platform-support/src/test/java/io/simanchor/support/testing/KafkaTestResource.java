package io.simanchor.support.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at a real in-JVM Kafka broker ({@link EmbeddedKafkaBroker}), started once
 * per test JVM and shared by every test class; tests that stop the broker must restart it. The service
 * connects with mutual TLS as the principal named by the init argument {@value #PRINCIPAL} (its name, e.g.
 * {@code identity-service}), so the broker grants it exactly what k8s/base/kafka/access-control.tsv does.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The init argument naming the service's Kafka principal. */
    public static final String PRINCIPAL = "principal";

    private static EmbeddedKafkaBroker broker;

    private String principal;

    /** The shared broker, started on first use. */
    public static synchronized EmbeddedKafkaBroker broker() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        }
        return broker;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        principal = initArgs.get(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("@QuarkusTestResource(KafkaTestResource.class) needs the init argument '"
                    + PRINCIPAL + "': the service's Kafka principal");
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(broker().serviceConfig(principal));
        // The lifecycle records tests publish are signed by the stand-in for identity-service's key, the
        // EARs of attestation results by the stand-in for attestation-service's.
        config.put(TestRecordKeys.PROPERTY, TestRecordKeys.jwks());
        config.put(TestVerifierKeys.PROPERTY, TestVerifierKeys.jwks());
        return config;
    }

    @Override
    public void stop() {
        // Shared across the test classes of this JVM: stopped by the shutdown hook.
    }
}
