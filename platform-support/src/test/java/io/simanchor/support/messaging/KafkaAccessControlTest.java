package io.simanchor.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.simanchor.api.events.Topics;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.tls.ServiceCa;

/**
 * The broker authorizes as k8s/base/kafka/access-control.tsv says, and nobody without a certificate of the
 * service CA gets in (issue 28, point 2): the tests' broker has ./platform's settings ({@link EmbeddedKafkaBroker}).
 */
class KafkaAccessControlTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        try (Admin admin = Admin.create(kafka.adminProperties("access-test"))) {
            admin.createTopics(List.of(new NewTopic(Topics.DEVICE_LIFECYCLE, 1, (short) 1),
                    new NewTopic(Topics.TOKEN_EVENTS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void only_identity_service_writes_the_lifecycle_topic_and_a_view_sees_nothing_else() throws Exception {
        send(kafka.connection("identity-service"), Topics.DEVICE_LIFECYCLE, "genuine");
        for (String other : List.of("attestation-service", "mud-service", "token-service", "monitoring")) {
            assertThatThrownBy(() -> send(kafka.connection(other), Topics.DEVICE_LIFECYCLE, "from " + other))
                    .as(other)
                    .hasRootCauseInstanceOf(AuthorizationException.class);
        }

        List<String> seen = new CopyOnWriteArrayList<>();
        try (TopicView view = new TopicView("access-test-view", kafka.connection("token-service"),
                List.of(TopicView.Subscription.fromBeginning(Topics.DEVICE_LIFECYCLE)),
                record -> seen.add(record.value()), Clock.systemUTC())) {
            view.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!view.caughtUp() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(view.caughtUp()).isTrue();
        }
        assertThat(seen).containsExactly("genuine");
    }

    @Test
    void a_service_reads_only_the_topics_it_needs() {
        assertThatThrownBy(() -> read(kafka.connection("mud-service"), Topics.TOKEN_EVENTS))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> read(kafka.connection("identity-service"), Topics.DEVICE_LIFECYCLE))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void monitoring_reads_every_platform_topic_and_writes_none() throws Exception {
        send(kafka.connection("token-service"), Topics.TOKEN_EVENTS, "issued");

        assertThat(read(kafka.connection("monitoring"), Topics.TOKEN_EVENTS)).contains("issued");
        assertThat(readInGroup(kafka.connection("monitoring"), "monitoring-dashboard", Topics.TOKEN_EVENTS))
                .contains("issued");
        assertThatThrownBy(() -> readInGroup(kafka.connection("monitoring"), "dashboard", Topics.TOKEN_EVENTS))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThatThrownBy(() -> send(kafka.connection("monitoring"), Topics.TOKEN_EVENTS, "forged"))
                .hasRootCauseInstanceOf(AuthorizationException.class);
    }

    @Test
    void a_client_without_a_certificate_of_the_service_ca_is_not_let_in() throws Exception {
        Map<String, String> anonymous = new HashMap<>(kafka.connection("identity-service").settings());
        anonymous.keySet().removeIf(key -> key.startsWith("ssl.keystore") || key.equals("ssl.key.password"));
        assertThatThrownBy(() -> send(new KafkaConnection(anonymous), Topics.DEVICE_LIFECYCLE, "anonymous"))
                .hasCauseInstanceOf(SslAuthenticationException.class);

        // The same name, from a CA of the attacker's own.
        ServiceCa.ComponentKeys impostor = ServiceCa.openOrCreate(Files.createTempDirectory("impostor-ca-"),
                Clock.systemUTC(), new SecureRandom()).keysOf("identity-service");
        Map<String, String> forged = new HashMap<>(anonymous);
        forged.put("ssl.keystore.type", "PKCS12");
        forged.put("ssl.keystore.location", impostor.keystore().toString());
        forged.put("ssl.keystore.password", impostor.password());
        forged.put("ssl.key.password", impostor.password());
        assertThatThrownBy(() -> send(new KafkaConnection(forged), Topics.DEVICE_LIFECYCLE, "impostor"))
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    private static void send(KafkaConnection connection, String topic, String value) throws Exception {
        Properties properties = connection.properties("access-test");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "device-1", value)).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            // send() itself throws when the producer cannot even fetch the topic's metadata
            throw new ExecutionException(e);
        }
    }

    /** The topic's records from its start, read in the consumer group {@code group} (subscribed). */
    private static List<String> readInGroup(KafkaConnection connection, String group, String topic) {
        Properties properties = connection.properties("access-test");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
            return values;
        }
    }

    /** The topic's records from its start, read with assigned partitions as the services' views read. */
    private static List<String> read(KafkaConnection connection, String topic) {
        Properties properties = connection.properties("access-test");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new java.util.ArrayList<>();
            consumer.poll(Duration.ofSeconds(5)).forEach(record -> values.add(record.value()));
            return values;
        }
    }
}
