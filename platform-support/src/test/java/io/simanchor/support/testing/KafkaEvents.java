package io.simanchor.support.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what the service published, from the beginning of the topics, as a dashboard would. */
public final class KafkaEvents implements AutoCloseable {

    /** One record as tests look at it. */
    public record Event(String topic, String key, String type, String id, String value) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> seen = new ArrayList<>();

    private KafkaEvents(List<String> topics) {
        // As the operators' administration: a reader of every topic, past the ACLs.
        Properties properties = KafkaTestResource.broker().adminProperties("test-events");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(topics);
    }

    /** A reader of these topics. */
    public static KafkaEvents of(String... topics) {
        return new KafkaEvents(List.of(topics));
    }

    /** Polls until {@code count} events match, or fails after {@code timeout}; returns the matches. */
    public List<Event> awaitAtLeast(int count, Predicate<Event> matching, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Event> matches = seen.stream().filter(matching).toList();
            if (matches.size() >= count) {
                return matches;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " matching events within " + timeout + ", saw "
                        + matches.size() + " (of " + seen.size() + " events)");
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Everything read so far, after polling for {@code duration} more. */
    public List<Event> drain(Duration duration) {
        Instant deadline = Instant.now().plus(duration);
        while (Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            seen.add(new Event(record.topic(), record.key(), header(record, "ce_type"), header(record, "ce_id"),
                    record.value()));
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
