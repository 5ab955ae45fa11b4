package io.simanchor.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.CloudEventHeaders;
import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.testing.EmbeddedKafkaBroker;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.FreePorts;
import io.simanchor.support.testing.TableRows;

/**
 * Direct publication on a real Kafka broker and PostgreSQL: events reach the topic, or the outbox when
 * the broker does not take them, and the caller learns which only in that it completes either way.
 */
class DirectPublisherTest {

    private static final String TOPIC = "direct-test";
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(15);

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;
    private static Jdbc jdbc;

    private BatchedOutbox outbox;
    private DirectPublisher publisher;

    @BeforeAll
    static void startServers() {
        kafka = EmbeddedKafkaBroker.start();
        postgres = EmbeddedPostgresServer.start();
        jdbc = new Jdbc(postgres.dataSource());
        execute("create table outbox (id bigint generated always as identity primary key, "
                + "event_id uuid not null unique, topic text not null, record_key text not null, "
                + "event_type text not null, payload text not null, occurred_at timestamptz not null, "
                + "published_at timestamptz)");
    }

    @AfterAll
    static void stopServers() {
        postgres.close();
        kafka.close();
    }

    @BeforeEach
    void emptyOutbox() {
        execute("truncate outbox");
    }

    @AfterEach
    void close() throws InterruptedException {
        if (publisher != null) {
            publisher.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void events_go_to_the_topic_as_cloud_events_and_the_caller_waits_for_the_broker() throws Exception {
        start(kafka.administration());
        awaitDirect(ANSWERED_WITHIN);
        String key = UUID.randomUUID().toString();

        publisher.publish(List.of(event(key, "first"), event(key, "second")))
                .toCompletableFuture()
                .get(ANSWERED_WITHIN.toSeconds(), TimeUnit.SECONDS);

        List<ConsumerRecord<String, String>> records = recordsFor(key, 2);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("[\"first\"]", "[\"second\"]");
        assertThat(records).allSatisfy(record -> {
            assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("/simanchor/test-service");
            assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("test.event.v1");
            assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo(key);
            assertThat(UUID.fromString(header(record, CloudEventHeaders.ID))).isNotNull();
        });
        assertThat(outboxKeys()).as("nothing written to the database").isEmpty();
    }

    @Test
    void while_no_broker_answers_events_go_to_the_outbox_and_the_caller_waits_for_its_commit() throws Exception {
        start(nowhere());

        publisher.publish(List.of(event("a", "first"))).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(publisher.publishesDirectly()).isFalse();
        assertThat(outboxKeys()).containsExactly("a");
    }

    @Test
    void when_the_broker_stops_events_go_to_the_outbox_and_direct_publication_resumes_after() throws Exception {
        start(kafka.administration());
        awaitDirect(ANSWERED_WITHIN);
        kafka.stopBroker();
        try {
            long started = System.nanoTime();
            publisher.publish(List.of(event("during", "outage")))
                    .toCompletableFuture()
                    .get(ANSWERED_WITHIN.toSeconds(), TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("about the acknowledgement wait, 1.5 s")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(outboxKeys()).containsExactly("during");
            assertThat(publisher.publishesDirectly()).isFalse();
            publisher.publish(List.of(event("later", "outage"))).toCompletableFuture().get(2, TimeUnit.SECONDS);
            assertThat(outboxKeys()).as("straight to the outbox while Kafka is out").containsExactly("during", "later");
        } finally {
            kafka.restartBroker();
        }

        awaitDirect(Duration.ofSeconds(60));
        // The first sends after a restart may still time out while the producer reconnects; what counts is
        // that one goes straight to Kafka again, and arrives there.
        String direct = keyPublishedStraightToKafka();
        assertThat(direct).as("a publication went straight to Kafka after the restart").isNotNull();
        assertThat(recordsFor(direct, 1)).extracting(ConsumerRecord::value).containsExactly("[\"after\"]");
    }

    @Test
    void a_producer_that_fails_every_send_is_replaced_once_kafka_answers() throws Exception {
        List<Producer<String, String>> made = new CopyOnWriteArrayList<>();
        start(kafka.administration(), properties -> {
            Producer<String, String> producer = new KafkaProducer<>(properties);
            made.add(producer);
            return producer;
        });
        awaitDirect(ANSWERED_WITHIN);
        // The last one made is in use (a failed probe closes its own). Closed, it fails every send at once,
        // as after a fatal error of the idempotent producer.
        int before = made.size();
        made.get(before - 1).close();

        publisher.publish(List.of(event("broken", "first"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(outboxKeys()).containsExactly("broken");
        // A new producer's first send may outlast the acknowledgement wait on a busy machine: what counts is
        // that one goes straight to Kafka, which the closed producer could never do again.
        String direct = keyPublishedStraightToKafka();

        assertThat(direct).as("a publication went straight to Kafka through a new producer").isNotNull();
        assertThat(recordsFor(direct, 1)).extracting(ConsumerRecord::value).containsExactly("[\"after\"]");
        assertThat(made).hasSizeGreaterThan(before);
    }

    @Test
    void a_producer_that_cannot_be_made_is_tried_again_after_ever_longer_pauses() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        start(kafka.administration(), properties -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("a setting the producer refuses");
        });

        publisher.publish(List.of(event("meanwhile", "first"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Thread.sleep(8_000);

        assertThat(outboxKeys()).containsExactly("meanwhile");
        assertThat(publisher.publishesDirectly()).isFalse();
        // Pauses of 2 s then 4 s after the first attempt: at most three attempts in 8 s, where probing every
        // second would make four or more even if each probe took a second.
        assertThat(attempts.get()).isBetween(2, 3);
    }

    @Test
    void topics_the_broker_refuses_to_create_are_asked_for_again_after_ever_longer_pauses() throws Exception {
        long refusedBefore = createTopicsRefusedForConfig();
        start(kafka.administration(),
                new NewTopic("refused-" + UUID.randomUUID(), 1, (short) 1).configs(Map.of("cleanup.policy", "none")),
                Duration.ofMillis(1_500), KafkaProducer::new);
        publisher.publish(List.of(event("meanwhile", "first"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // The broker and its controller share this JVM's metrics and may both count a refusal: what one
        // request adds is measured on the first, which the next follows only after a pause of 2 s.
        long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
        while (createTopicsRefusedForConfig() == refusedBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        long perRequest = createTopicsRefusedForConfig() - refusedBefore;
        assertThat(perRequest).as("the broker refused the topic").isPositive();

        Thread.sleep(8_000);

        assertThat(outboxKeys()).containsExactly("meanwhile");
        // As above: pauses of 2 s then 4 s make at most three requests in 8.5 s, where asking every second
        // would make five or more even if each request took a second.
        assertThat((createTopicsRefusedForConfig() - refusedBefore) / perRequest).isBetween(2L, 3L);
    }

    @Test
    void a_late_failure_from_a_replaced_producer_does_not_stop_the_new_one() throws Exception {
        Node node = new Node(0, "127.0.0.1", 9);
        Cluster cluster = new Cluster("mock", List.of(node),
                List.of(new PartitionInfo(TOPIC, 0, node, new Node[]{node}, new Node[]{node})), Set.of(), Set.of());
        // Answers only when told to; every later producer is a real one.
        MockProducer<String, String> first = new MockProducer<>(cluster, false, null, new StringSerializer(),
                new StringSerializer());
        start(kafka.administration(), Duration.ofSeconds(30),
                properties -> first.history().isEmpty() && !first.closed() ? first : new KafkaProducer<>(properties));
        awaitDirect(ANSWERED_WITHIN);
        CompletableFuture<Void> unanswered = publisher.publish(List.of(event("unanswered", "first")))
                .toCompletableFuture();
        assertThat(first.history()).as("sent, not yet answered").hasSize(1);
        first.sendException = new KafkaException("as a fatal error leaves it");
        publisher.publish(List.of(event("refused", "second"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        awaitDirect(ANSWERED_WITHIN); // through a new producer

        assertThat(first.errorNext(new KafkaException("the answer to a send made before it was replaced"))).isTrue();

        unanswered.get(10, TimeUnit.SECONDS);
        assertThat(outboxKeys()).containsExactlyInAnyOrder("refused", "unanswered");
        assertThat(publisher.publishesDirectly()).as("still through the new producer").isTrue();
    }

    @Test
    void when_one_event_of_a_decision_fails_all_of_them_go_to_the_outbox_under_their_ids() throws Exception {
        start(kafka.administration());
        awaitDirect(ANSWERED_WITHIN);
        String key = UUID.randomUUID().toString();
        // The producer knows no partitions of a topic it was not set up with, and does not wait for them.
        OutboxEvent unpublishable = new OutboxEvent(TOPIC + "-not-set-up", key, "test.event.v1", List.of("second"),
                Instant.now());

        publisher.publish(List.of(event(key, "first"), unpublishable))
                .toCompletableFuture()
                .get(ANSWERED_WITHIN.toSeconds(), TimeUnit.SECONDS);

        assertThat(new TableRows(postgres.dataSource()).values(
                "select topic from outbox where record_key = '" + key + "' order by id", String.class))
                .as("the decision's events stay together")
                .containsExactly(TOPIC, TOPIC + "-not-set-up");
        // The first may have reached the topic before the second failed: then as the outbox's copy, one ce_id.
        List<ConsumerRecord<String, String>> direct = recordsFor(key, 1);
        if (!direct.isEmpty()) {
            assertThat(header(direct.get(0), CloudEventHeaders.ID)).isEqualTo(new TableRows(postgres.dataSource())
                    .values("select event_id::text from outbox where record_key = '" + key + "' and topic = '"
                            + TOPIC + "'", String.class)
                    .get(0));
        }
    }

    @Test
    void what_the_broker_has_not_acknowledged_at_close_goes_to_the_outbox() throws Exception {
        start(kafka.administration());
        awaitDirect(ANSWERED_WITHIN);
        kafka.stopBroker();
        try {
            CompletableFuture<Void> pending = publisher.publish(List.of(event("at-close", "unsent")))
                    .toCompletableFuture();

            publisher.close();

            pending.get(ANSWERED_WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(outboxKeys()).containsExactly("at-close");
        } finally {
            kafka.restartBroker();
        }
    }

    @Test
    void the_caller_is_told_when_the_outbox_does_not_commit_in_time() throws Exception {
        outbox = new BatchedOutbox("direct-test", jdbc, writer(), 100, 10); // never started: nothing commits
        publisher = new DirectPublisher(writer(), outbox, new DirectPublisher.Settings("test-service",
                nowhere(), List.of(new NewTopic(TOPIC, 1, (short) 1)), Duration.ofMillis(1),
                Duration.ofMillis(1_500), Duration.ofMillis(300)));
        publisher.start();

        assertThat(publisher.publish(List.of(event("a", "stuck"))).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PersistenceException.class)
                .withMessageContaining("did not commit");
    }

    @Test
    void the_caller_is_told_when_neither_the_broker_nor_the_outbox_takes_the_events() throws Exception {
        start(nowhere());
        outbox.close();

        assertThat(publisher.publish(List.of(event("a", "nowhere"))).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PersistenceException.class);
    }

    private void start(KafkaConnection connection) {
        start(connection, KafkaProducer::new);
    }

    private void start(KafkaConnection connection, Function<Properties, Producer<String, String>> producers) {
        start(connection, Duration.ofMillis(1_500), producers);
    }

    private void start(KafkaConnection connection, Duration acknowledgedWithin,
            Function<Properties, Producer<String, String>> producers) {
        start(connection, new NewTopic(TOPIC, 1, (short) 1), acknowledgedWithin, producers);
    }

    private void start(KafkaConnection connection, NewTopic topic, Duration acknowledgedWithin,
            Function<Properties, Producer<String, String>> producers) {
        outbox = new BatchedOutbox("direct-test", jdbc, writer(), 100, 10);
        outbox.start();
        publisher = new DirectPublisher(writer(), outbox, new DirectPublisher.Settings("test-service",
                connection, List.of(topic), Duration.ofMillis(1), acknowledgedWithin, Duration.ofSeconds(5)),
                producers);
        publisher.start();
    }

    /** How many topic creations the broker in this JVM refused for an invalid setting so far. */
    private static long createTopicsRefusedForConfig() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long count = 0;
        for (ObjectName name : server.queryNames(new ObjectName(
                "kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=CreateTopics,error=INVALID_CONFIG"),
                null)) {
            count += ((Number) server.getAttribute(name, "Count")).longValue();
        }
        return count;
    }

    /**
     * Publishes an "after" event under a new key, up to ten times, until one goes straight to Kafka rather
     * than to the outbox; returns that key, or null if none did.
     */
    private String keyPublishedStraightToKafka() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            // Each failure soon after a resumption doubles the pause before the next probe (up to 30 s).
            awaitDirect(Duration.ofSeconds(60));
            String key = UUID.randomUUID().toString();
            publisher.publish(List.of(event(key, "after"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (publisher.publishesDirectly() && !outboxKeys().contains(key)) {
                return key;
            }
        }
        return null;
    }

    private void awaitDirect(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!publisher.publishesDirectly()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not publishing directly within " + within);
            }
            Thread.sleep(50);
        }
    }

    /** A connection to a port where no broker listens. */
    private static KafkaConnection nowhere() {
        return new KafkaConnection(java.util.Map.of("bootstrap.servers", "127.0.0.1:" + FreePorts.next()));
    }

    private static OutboxWriter writer() {
        return new OutboxWriter(new ObjectMapper(), new OutboxSignal());
    }

    private static OutboxEvent event(String key, String value) {
        return new OutboxEvent(TOPIC, key, "test.event.v1", List.of(value), Instant.now());
    }

    private static List<ConsumerRecord<String, String>> recordsFor(String key, int count) {
        Properties properties = kafka.adminProperties("direct-test");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "direct-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + ANSWERED_WITHIN.toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> {
                            if (key.equals(record.key())) {
                                seen.add(record);
                            }
                        });
            }
            return seen;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<String> outboxKeys() throws SQLException {
        return new TableRows(postgres.dataSource()).values("select record_key from outbox order by id", String.class);
    }

    private static void execute(String sql) {
        jdbc.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }
}
