package io.simanchor.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.simanchor.support.testing.EmbeddedKafkaBroker;

/** A view read from a real Kafka broker, and what a restart of its reader does to it. */
class TopicViewTest {

    private static final String TOPIC = "view-test";

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        try (Admin admin = Admin.create(kafka.adminProperties("view-test"))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /**
     * A device's history, then a record the handler fails on once: the restarted reader goes on from that
     * record. Before, it read the partition from its start again, and the live view went back through
     * "active" and the old key before it reached "revoked" a second time.
     */
    @Test
    void a_restarted_reader_goes_on_where_it_stopped_and_never_replays_the_history() throws Exception {
        List<String> applied = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        publish(TOPIC, "enrolled-key-1", "active-key-2", "revoked", "fails-once", "after-restart");

        try (TopicView view = new TopicView("view-test-reader", kafka.administration(),
                List.of(TopicView.Subscription.fromBeginning(TOPIC)), record -> {
                    if (record.value().equals("fails-once") && failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("the handler fails once");
                    }
                    applied.add(record.value());
                }, Clock.systemUTC())) {
            view.start();

            awaitUntil(() -> applied.contains("after-restart") && view.caughtUp());
            assertThat(failedOnce).isTrue();
            assertThat(applied).containsExactly("enrolled-key-1", "active-key-2", "revoked", "fails-once",
                    "after-restart");
        }
    }

    /** An Error ends the reader; before, the view went on passing for caught up while nobody updated it. */
    @Test
    void a_view_whose_reader_died_is_no_longer_caught_up() throws Exception {
        String topic = "view-test-fatal";
        try (Admin admin = Admin.create(kafka.adminProperties("view-test"))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        publish(topic, "enrolled");
        try (TopicView view = new TopicView("view-test-fatal-reader", kafka.administration(),
                List.of(TopicView.Subscription.fromBeginning(topic)), record -> {
                    if (record.value().equals("fatal")) {
                        throw new StackOverflowError("the handler fails for good");
                    }
                }, Clock.systemUTC())) {
            view.start();
            awaitUntil(view::caughtUp);

            publish(topic, "fatal");

            awaitUntil(() -> !view.caughtUp());
        }
    }

    /**
     * A rebuild checks a poll's records on every core; each record must still be applied in its partition's
     * order with its own check's result. Three partitions, so the records of one poll come from several.
     */
    @Test
    void records_checked_together_are_applied_in_partition_order_each_with_its_own_check() throws Exception {
        String topic = "view-test-parallel";
        try (Admin admin = Admin.create(kafka.adminProperties("view-test"))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, List<String>> published = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.adminProperties("view-test"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3_000; i++) {
                String key = "device-" + (i % 7);
                String value = key + "/" + i;
                published.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            producer.flush();
        }
        Map<String, List<String>> applied = new ConcurrentHashMap<>();
        try (TopicView view = new TopicView("view-test-parallel-reader", kafka.administration(),
                List.of(TopicView.Subscription.fromBeginning(topic)), TopicView.RecordHandler.of(() -> {
                }, record -> "checked " + record.value(), (record, checked) -> {
                    if (checked.equals("checked " + record.value())) {
                        applied.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(record.value());
                    }
                }), Clock.systemUTC())) {
            view.start();

            awaitUntil(view::caughtUp);
        }

        assertThat(applied).isEqualTo(published);
    }

    @Test
    void a_header_without_a_value_reads_as_absent() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0, "device-1", "value");
        record.headers().add(new RecordHeader("ce_type", (byte[]) null));

        assertThat(TopicView.header(record, "ce_type")).isNull();
    }

    private static void publish(String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.adminProperties("view-test"),
                new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "device-1", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within 30 s").isNegative();
            Thread.sleep(50);
        }
    }
}
