package io.simanchor.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test infrastructure itself: the servers are real and behave as the integration tests assume. */
class EmbeddedInfrastructureTest {

    @Test
    void postgres_accepts_sql_on_loopback() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
                Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                        postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v text)");
            statement.execute("INSERT INTO t VALUES ('anchor')");
            try (ResultSet rows = statement.executeQuery("SELECT v, current_user FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("anchor");
            }
        }
    }

    @Test
    void kafka_keeps_records_across_a_broker_restart_on_the_same_port() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            String bootstrap = kafka.bootstrapServers();
            send(kafka, "before");
            kafka.stopBroker();
            kafka.restartBroker();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            send(kafka, "after");

            Properties properties = kafka.adminProperties("infra-test");
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-test");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("infra"));
                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        seen.add(record.value());
                    }
                }
                assertThat(seen).containsExactly("before", "after");
            }
        }
    }

    private static void send(EmbeddedKafkaBroker kafka, String value) throws Exception {
        Properties properties = kafka.adminProperties("infra-test");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("infra", "k", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
