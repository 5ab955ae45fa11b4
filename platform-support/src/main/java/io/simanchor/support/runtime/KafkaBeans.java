package io.simanchor.support.runtime;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.LaunchMode;
import io.simanchor.support.messaging.KafkaConnection;
import io.smallrye.common.annotation.Identifier;

/**
 * Every service's {@link KafkaConnection}, from its {@code kafka.*} settings as Quarkus' Kafka client
 * extension reads them (environment variables such as {@code KAFKA_SSL_KEYSTORE_LOCATION} included).
 */
@ApplicationScoped
public class KafkaBeans {

    @Produces
    @Singleton
    KafkaConnection kafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> config) {
        return KafkaConnection.of(config, LaunchMode.current().isProduction());
    }
}
