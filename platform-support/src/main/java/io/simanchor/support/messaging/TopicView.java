package io.simanchor.support.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Feeds a service-local view from Kafka topics: every partition of each topic is read by every instance
 * (no consumer group: each instance needs every device), from the beginning or from a look-back window,
 * on one daemon thread. The view reports {@link #caughtUp()} once it has read up to the end offsets found
 * when it started, so a service can stay unready rather than answer from a half-built view. A failure
 * restarts the reader with back-off where it stopped (the record that failed is read again) and marks the
 * view not caught up until it has reached the end again. It does not read a partition from its start a
 * second time: the handler applies records to the live view, so a re-read would move each device back
 * through its history (an ACTIVE snapshot before its revocation, a key before its rotation) until the
 * reader caught up again. (Unless Kafka no longer has the remembered offset, say of a topic deleted and
 * created again: {@code auto.offset.reset=earliest} then starts that partition from its beginning.)
 * Topics are never auto-created by this consumer: their owners create them with the right settings.
 *
 * <p>
 * A record is handled in two steps ({@link RecordHandler}): a check without side effects (the producer's
 * signature, parsing), which for a large poll runs on every core at once, then its application to the view
 * on the reader thread, in partition order. Checking signatures is most of the cost of reading a signed
 * topic, and a rebuild reads millions of records (docs/performance.md).
 */
public final class TopicView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicView.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_REFRESH = Duration.ofSeconds(10);
    private static final Duration METADATA_REFRESH_WHILE_ABSENT = Duration.ofSeconds(1);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /**
     * A topic to read.
     *
     * @param topic the topic name
     * @param lookBack empty: from the beginning (a compacted snapshot topic); present: only records
     *        written within this window before start-up (an event stream of which only recent facts matter)
     */
    public record Subscription(String topic, Optional<Duration> lookBack) {

        /** The whole topic. */
        public static Subscription fromBeginning(String topic) {
            return new Subscription(topic, Optional.empty());
        }

        /** The records of the last {@code window}. */
        public static Subscription lastWindow(String topic, Duration window) {
            return new Subscription(topic, Optional.of(window));
        }
    }

    private final String name;
    private final KafkaConnection kafka;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final RecordHandler<Object> handler;
    private final Clock clock;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread reader;
    /** Reader thread only: per partition, the offset after the last record the handler took. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();

    /**
     * How a view takes records: {@link #check} sees each record first and may run on several threads at once
     * for the records of one poll, so it must have no side effects (verify, parse, decode); {@link #apply}
     * then gets the record and what its check returned, on the reader thread only, in partition order.
     * Neither may throw for a record it cannot read (skip and log it), or the reader restarts.
     *
     * @param <T> what a check finds out
     */
    public interface RecordHandler<T> {

        /**
         * Runs on the reader thread before each poll's records are checked, also when a poll brought none:
         * waiting for what the checks need (a publisher's keys), periodic upkeep. May block; interrupted when
         * the view closes.
         */
        default void prepare() throws InterruptedException {
        }

        T check(ConsumerRecord<String, String> record);

        void apply(ConsumerRecord<String, String> record, T checked);

        /** A handler of these three steps. */
        static <T> RecordHandler<T> of(Preparation prepare, Function<ConsumerRecord<String, String>, T> check,
                BiConsumer<ConsumerRecord<String, String>, T> apply) {
            return new RecordHandler<>() {

                @Override
                public void prepare() throws InterruptedException {
                    prepare.prepare();
                }

                @Override
                public T check(ConsumerRecord<String, String> record) {
                    return check.apply(record);
                }

                @Override
                public void apply(ConsumerRecord<String, String> record, T checked) {
                    apply.accept(record, checked);
                }
            };
        }
    }

    /** {@link RecordHandler#prepare()} as a lambda. */
    @FunctionalInterface
    public interface Preparation {

        void prepare() throws InterruptedException;
    }

    /** A poll with fewer records is checked on the reader thread: a hand-off would cost more than it saves. */
    private static final int PARALLEL_CHECK_MIN = 64;

    /**
     * @param name names the reader thread and the Kafka client id, e.g. {@code token-service-device-view}
     * @param handler applies one record to the view; called on the reader thread only, in partition order.
     *        It must not throw for a record it cannot read (skip and log it), or the reader restarts.
     */
    public TopicView(String name, KafkaConnection kafka, List<Subscription> subscriptions,
            Consumer<ConsumerRecord<String, String>> handler, Clock clock) {
        this(name, kafka, subscriptions, RecordHandler.of(() -> {
        }, record -> null, (record, checked) -> handler.accept(record)), clock);
    }

    /**
     * @param name names the reader thread and the Kafka client id, e.g. {@code token-service-device-view}
     * @param handler checks records, several at once, then applies them one by one in partition order
     */
    @SuppressWarnings("unchecked")
    public TopicView(String name, KafkaConnection kafka, List<Subscription> subscriptions,
            RecordHandler<?> handler, Clock clock) {
        this.name = name;
        this.kafka = kafka;
        subscriptions.forEach(subscription -> this.subscriptions.put(subscription.topic(), subscription));
        this.handler = (RecordHandler<Object>) handler;
        this.clock = clock;
    }

    /** The value of a record header as text, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        // A header may carry no value at all; that reads as absent, not as a failure of the reader.
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Whether the view has read everything that was on its topics when it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Starts reading on a daemon thread. */
    public void start() {
        running = true;
        reader = new Thread(this::run, name);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            // A reader waiting in its handler's prepare (a publisher's keys) is not woken by the consumer.
            reader.interrupt();
            reader.join(5_000);
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                read();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (WakeupException | InterruptException e) {
                if (!running) {
                    return;
                }
                // A stray interrupt while the view runs: clear it, or the next poll or sleep fails again.
                Thread.interrupted();
            } catch (Error e) {
                // The reader ends with it (out of memory, say). A view nobody updates any more must not
                // pass for current: it stays not caught up, so the service is no longer ready.
                caughtUp = false;
                LOG.fatalf(e, "The view %s stopped reading %s for good", name, subscriptions.keySet());
                throw e;
            } catch (RuntimeException e) {
                // Stale state must not pass for current: not ready until the view has caught up again.
                caughtUp = false;
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                LOG.errorf(e, "The view %s stopped reading %s, restarting in %d ms", name, subscriptions.keySet(),
                        backoff);
            }
        }
    }

    private void read() throws InterruptedException {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(properties())) {
            consumer = kafka;
            Map<TopicPartition, Long> catchUpTo = null;
            long nextMetadataCheck = System.nanoTime();
            while (running) {
                if (System.nanoTime() - nextMetadataCheck >= 0) {
                    int present = refreshAssignment(kafka);
                    if (catchUpTo == null && present > 0) {
                        catchUpTo = kafka.endOffsets(kafka.assignment());
                    }
                    if (present == 0 && !caughtUp) {
                        // No topic yet means nothing was ever published: the empty view is complete.
                        markCaughtUp();
                    }
                    // A topic created later (the first event ever of its kind) is picked up within a second.
                    nextMetadataCheck = System.nanoTime() + (present == subscriptions.size()
                            ? METADATA_REFRESH
                            : METADATA_REFRESH_WHILE_ABSENT).toNanos();
                }
                if (kafka.assignment().isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                handler.prepare();
                ConsumerRecords<String, String> batch = kafka.poll(POLL);
                List<ConsumerRecord<String, String>> records = new ArrayList<>(batch.count());
                batch.partitions().forEach(partition -> records.addAll(batch.records(partition)));
                List<Object> checked = check(records);
                int next = 0;
                for (TopicPartition partition : batch.partitions()) {
                    for (ConsumerRecord<String, String> record : batch.records(partition)) {
                        handler.apply(record, checked.get(next++));
                        resumeAt.put(partition, record.offset() + 1);
                    }
                }
                if (!caughtUp && catchUpTo != null && reached(kafka, catchUpTo)) {
                    markCaughtUp();
                }
            }
        } finally {
            consumer = null;
        }
    }

    /** The checks of one poll's records, in their order: on every core for a large poll (a rebuild). */
    private List<Object> check(List<ConsumerRecord<String, String>> records) {
        if (records.size() < PARALLEL_CHECK_MIN) {
            List<Object> checked = new ArrayList<>(records.size());
            records.forEach(record -> checked.add(handler.check(record)));
            return checked;
        }
        // An ordered parallel stream keeps each result at its record's index; the common pool plus this thread
        // use every core. A check is pure, so running them in any order on any thread changes nothing.
        return records.parallelStream()
                .map(handler::check)
                .collect(ArrayList::new, ArrayList::add,
                        ArrayList::addAll);
    }

    private Properties properties() {
        Properties properties = kafka.properties(name);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }

    /**
     * Assigns every partition of every existing topic, new ones at their start and ones read before where
     * the reading stopped; returns how many topics exist.
     */
    private int refreshAssignment(KafkaConsumer<String, String> kafka) {
        Set<TopicPartition> partitions = new HashSet<>();
        int present = 0;
        for (String topic : subscriptions.keySet()) {
            var infos = kafka.partitionsFor(topic, Duration.ofSeconds(5));
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            present += infos.isEmpty() ? 0 : 1;
        }
        if (partitions.isEmpty()) {
            return 0;
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(kafka.assignment());
        if (!added.isEmpty()) {
            kafka.assign(partitions);
            seekToStart(kafka, added);
        }
        return present;
    }

    /** New partitions from their start (or window), partitions an earlier reader read from where it stopped. */
    private void seekToStart(KafkaConsumer<String, String> kafka, Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> windowStarts = new HashMap<>();
        Set<TopicPartition> fromBeginning = new HashSet<>();
        for (TopicPartition partition : partitions) {
            Long resume = resumeAt.get(partition);
            if (resume != null) {
                kafka.seek(partition, resume);
                continue;
            }
            subscriptions.get(partition.topic())
                    .lookBack()
                    .ifPresentOrElse(
                            window -> windowStarts.put(partition, clock.instant().minus(window).toEpochMilli()),
                            () -> fromBeginning.add(partition));
        }
        if (!fromBeginning.isEmpty()) {
            // Never with an empty set: Kafka reads that as every assigned partition.
            kafka.seekToBeginning(fromBeginning);
        }
        if (!windowStarts.isEmpty()) {
            // The end offsets are taken first: a partition with nothing in the window is read from there,
            // so a record appended while the window is being looked up is read, not skipped.
            Map<TopicPartition, Long> ends = kafka.endOffsets(windowStarts.keySet());
            Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(windowStarts);
            windowStarts.keySet().forEach(partition -> {
                OffsetAndTimestamp offset = offsets.get(partition);
                kafka.seek(partition, offset == null ? ends.get(partition) : offset.offset());
            });
        }
    }

    private static boolean reached(KafkaConsumer<String, String> kafka, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (kafka.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void markCaughtUp() {
        caughtUp = true;
        LOG.infof("View %s caught up with %s", name, subscriptions.keySet());
    }
}
