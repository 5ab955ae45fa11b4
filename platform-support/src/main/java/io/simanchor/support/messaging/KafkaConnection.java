package io.simanchor.support.messaging;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How this process reaches the platform's Kafka and proves who it is (issue 28, point 2): the bootstrap
 * servers and the client's security settings ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}),
 * the same for every producer, consumer and admin client a service makes. The platform's broker accepts
 * mutual TLS only: a client presents its certificate from the service CA, and the broker authorizes it as
 * {@code User:<CN>} (k8s/base/kafka/access-control.tsv).
 *
 * @param settings the client settings, by their Kafka names
 */
public record KafkaConnection(Map<String, String> settings) {

    public KafkaConnection {
        if (!settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is not set");
        }
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /** Quarkus' name of a TLS registry configuration for Kafka (its SSL engine factory needs it). */
    private static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    /**
     * The connection the settings {@code kafka.*} give (names as Quarkus' Kafka client extension maps them,
     * without the prefix); settings other than the bootstrap servers and the security ones ({@code ssl.*},
     * {@code sasl.*}, a TLS registry configuration) are ignored.
     *
     * @param production whether the service runs in production: then a connection that does not use TLS is
     *        refused, with a one-line reason, before anything is sent in the clear
     */
    public static KafkaConnection of(Map<String, ?> config, boolean production) {
        Map<String, String> settings = new TreeMap<>();
        config.forEach((name, value) -> {
            if (name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    || name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || name.startsWith("ssl.")
                    || name.startsWith("sasl.") || name.equals(TLS_CONFIGURATION_NAME)) {
                settings.put(name, String.valueOf(value));
            }
        });
        var connection = new KafkaConnection(settings);
        if (production && !connection.encrypted()) {
            throw new IllegalStateException("kafka.security.protocol is " + connection.protocol()
                    + ": in production the service talks to Kafka over TLS only (SSL or SASL_SSL)");
        }
        return connection;
    }

    /** {@code host:port,...} of the brokers. */
    public String bootstrapServers() {
        return settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** {@code security.protocol}, PLAINTEXT when not set (Kafka's default). */
    public String protocol() {
        return settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }

    /** Whether the connection uses TLS. */
    public boolean encrypted() {
        return protocol().equalsIgnoreCase("SSL") || protocol().equalsIgnoreCase("SASL_SSL");
    }

    /** New client properties with these settings and {@code client.id}; the caller adds its own. */
    public Properties properties(String clientId) {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return properties;
    }

    @Override
    public String toString() {
        // Never the passwords.
        return "KafkaConnection[" + bootstrapServers() + ", " + protocol() + "]";
    }
}
