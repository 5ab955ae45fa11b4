package io.simanchor.support.outbox;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.persistence.PersistenceException;

/**
 * Publishes a decision's events straight to Kafka and completes once the broker has them (acks=all,
 * idempotent producer), or once the outbox has them when Kafka does not take them in time: either way the
 * caller answers only after its events are durable, so nothing it answered for is lost, and the usual case
 * costs no database write at all. For a decision made many times a second whose own state is already
 * recorded elsewhere (an issued token, whose {@code jti} the ledger records), this halves the database work
 * per decision; the transactional outbox stays the way for events that must commit with a state change.
 *
 * <p>
 * Kafka is used only while it is known to answer: after a send fails (broker down, a full buffer) or is
 * not acknowledged within {@link Settings#acknowledgedWithin} (a sweep, not the producer's own timeouts,
 * which must stay long enough for {@code acks=all} to wait for followers), every decision goes to the
 * outbox, whose relay publishes it later, until a probe (creating the service's topics, which needs the
 * broker, then reading their partitions with a new producer) succeeds again. Each resumption starts a new
 * producer: one that failed may be in a state it cannot leave (a fatal error of the idempotent producer, such
 * as a refused authorization, fails every later send), and a new one costs a connection per resumption. A
 * failure the replaced producer reports later suspends nothing. The producer never blocks the caller's thread
 * ({@code max.block.ms} 0): a send that would wait for metadata or for buffer space fails at once and goes
 * to the outbox instead. A decision the outbox has not committed within {@link Settings#storedWithin}
 * fails, so its caller can refuse (503) rather than wait for a database that does not answer; should the
 * commit still land, the event exists for an answer never given, as after a crash (below).
 *
 * <p>
 * {@code acks=all} waits for the topic's in-sync replicas: on a replicated cluster the topic needs
 * {@code min.insync.replicas} of at least 2, or an acknowledgement may rest on one broker's page cache,
 * which is less than the outbox's commit ({@link OutboxRelayConfig#topic} creates topics so).
 *
 * <p>
 * What this does not give: the order between a key's events published here and those the relay publishes
 * later (each carries its time), and exactly-once delivery. An event whose acknowledgement came too late
 * may reach Kafka twice, directly and from the outbox, under one {@code ce_id}, which consumers use to drop
 * the copy. A crash after the broker acknowledged but before the caller answered leaves an event for an
 * answer never given: it errs on the side of the audit trail.
 */
public final class DirectPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectPublisher.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_PROBE_INTERVAL = Duration.ofSeconds(30);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);
    private static final Duration METADATA_KEPT_IDLE = Duration.ofDays(365);
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(50);
    private static final Duration REPLACED_CLOSE_WAIT = Duration.ofSeconds(1);

    /**
     * @param service the CloudEvents source {@code /simanchor/<service>}, and the producers' client ids
     *        {@code <service>-direct-<n>}, numbered 1, 2, ... as probes create them
     * @param topics every topic published here, created with these settings if missing
     * @param linger how long the producer gathers records before a send: larger batches, this much latency
     * @param acknowledgedWithin how long a send may wait for the broker before its events go to the outbox
     * @param storedWithin how long events may then wait for the outbox's commit before the caller is told
     *        they are not durable
     */
    public record Settings(String service, KafkaConnection kafka, List<NewTopic> topics, Duration linger,
            Duration acknowledgedWithin, Duration storedWithin) {

        public Settings {
            topics = List.copyOf(topics);
            if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("the linger must be between 0 and 1 s");
            }
            if (acknowledgedWithin.compareTo(linger.plusMillis(100)) < 0) {
                throw new IllegalArgumentException("the acknowledgement wait must be at least the linger plus 100 ms");
            }
            if (storedWithin.isNegative() || storedWithin.isZero()) {
                throw new IllegalArgumentException("the outbox wait must be positive");
            }
        }
    }

    /** A decision sent to Kafka and not yet acknowledged: diverted to the outbox once its deadline passed. */
    private record InFlight(long deadline, CompletableFuture<Void> durable, Runnable divert) {
    }

    private final OutboxWriter codec;
    private final BatchedOutbox fallback;
    private final Settings settings;
    private final String source;
    private final Function<Properties, Producer<String, String>> producers;
    /** Numbers each producer's client id: two producers with one id would clash in JMX while both run. */
    private final AtomicInteger producerCount = new AtomicInteger();
    private final Object probeSignal = new Object();
    /** Guards replacing the producer against closing this publisher at the same time. */
    private final Object producerLock = new Object();
    /** In about the order of their deadlines: sends are appended as they happen, each with the same wait. */
    private final ConcurrentLinkedQueue<InFlight> inFlight = new ConcurrentLinkedQueue<>();

    /** True while Kafka answers: topics exist, their metadata is known and the last send went through. */
    private volatile boolean kafkaUsable;
    private volatile boolean running;
    /** When a probe last resumed direct publication (System.nanoTime). */
    private volatile long resumedAt;
    /** How long the prober pauses before its next probe. */
    private volatile Duration probeInterval = PROBE_INTERVAL;
    /** The producer of the last successful probe; null before the first and after close. */
    private volatile Producer<String, String> producer;
    private Thread prober;
    private Thread sweeper;

    /**
     * @param codec turns payloads into the JSON the outbox would store, so both ways publish the same bytes
     * @param fallback where events go when Kafka does not take them; must be closed after this
     */
    public DirectPublisher(OutboxWriter codec, BatchedOutbox fallback, Settings settings) {
        this(codec, fallback, settings, KafkaProducer::new);
    }

    /** With the producers {@code producers} makes from the settings this class chooses (for tests). */
    DirectPublisher(OutboxWriter codec, BatchedOutbox fallback, Settings settings,
            Function<Properties, Producer<String, String>> producers) {
        this.codec = codec;
        this.fallback = fallback;
        this.settings = settings;
        this.source = "/simanchor/" + settings.service();
        this.producers = producers;
    }

    /** Starts probing Kafka; until a probe succeeds (with the first producer), events go to the outbox. */
    public void start() {
        running = true;
        prober = new Thread(this::probeWhileRunning, settings.service() + "-direct-publisher-probe");
        prober.setDaemon(true);
        prober.start();
        sweeper = new Thread(this::sweepWhileRunning, settings.service() + "-direct-publisher-deadline");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** Whether events currently go to Kafka directly. */
    public boolean publishesDirectly() {
        return kafkaUsable;
    }

    /**
     * Publishes one decision's events, without blocking the caller.
     *
     * @return completes once the broker acknowledged every event, or once the outbox committed them; fails
     *         only if neither took them (the outbox dropped or lost them)
     */
    public CompletionStage<Void> publish(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<UUID> eventIds = OutboxWriter.newEventIds(events.size());
        // In this order: a probe sets the producer, then kafkaUsable, so whoever sees Kafka usable sees the
        // producer the probe checked.
        if (!kafkaUsable) {
            return store(events, eventIds);
        }
        Producer<String, String> kafka = producer;
        if (kafka == null) {
            return store(events, eventIds);
        }
        // Serialised first: a payload that cannot be serialised is a bug in the caller, not Kafka's failure,
        // and the outbox could not store it either.
        List<ProducerRecord<String, String>> records = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent event = events.get(i);
            records.add(CloudEventRecords.of(source, eventIds.get(i), event.topic(), event.key(), event.type(),
                    codec.payloadJson(event), event.occurredAt().truncatedTo(ChronoUnit.MICROS).toString()));
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        AtomicInteger unacknowledged = new AtomicInteger(events.size());
        AtomicBoolean diverted = new AtomicBoolean();
        Consumer<Exception> divert = failure -> {
            // All of the decision's events, also those the broker took: a decision's events stay together,
            // and a copy that got through shares its ce_id with the outbox's.
            if (diverted.compareAndSet(false, true)) {
                suspend(kafka, failure);
                store(events, eventIds).whenComplete((ignored, lost) -> {
                    if (lost == null) {
                        durable.complete(null);
                    } else {
                        durable.completeExceptionally(lost);
                    }
                });
            }
        };
        for (ProducerRecord<String, String> record : records) {
            if (diverted.get()) {
                break;
            }
            try {
                kafka.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        divert.accept(failure);
                    } else if (unacknowledged.decrementAndGet() == 0 && !diverted.get()) {
                        durable.complete(null);
                    }
                });
            } catch (RuntimeException failure) {
                // No metadata or no buffer space (max.block.ms 0), or the producer is closing.
                divert.accept(failure);
            }
        }
        inFlight.add(new InFlight(System.nanoTime() + settings.acknowledgedWithin().toNanos(), durable,
                () -> divert.accept(new TimeoutException("not acknowledged within "
                        + settings.acknowledgedWithin().toMillis() + " ms"))));
        return durable;
    }

    /** The events through the outbox, failing if it has not committed them in time. */
    private CompletionStage<Void> store(List<OutboxEvent> events, List<UUID> eventIds) {
        return fallback.write(events, eventIds)
                .toCompletableFuture()
                .orTimeout(settings.storedWithin().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        failure instanceof TimeoutException
                                ? new PersistenceException("the outbox did not commit the "
                                        + "events within " + settings.storedWithin().toMillis() + " ms")
                                : failure));
    }

    /** Diverts what the broker has not acknowledged in time, a few times per wait; runs until closed. */
    private void sweepWhileRunning() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(SWEEP_INTERVAL.toMillis());
                divertOverdue(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Without this thread nothing bounds the callers' wait for the broker: log and keep sweeping.
                LOG.errorf(e, "Deadline sweep failed [service: %s]", settings.service());
            }
        }
    }

    private void divertOverdue(long now) {
        for (InFlight head = inFlight.peek(); head != null; head = inFlight.peek()) {
            if (!head.durable().isDone() && now - head.deadline() < 0) {
                return;
            }
            // What was taken, which is the head looked at unless close() drains at the same time.
            divertIfUnanswered(inFlight.poll());
        }
    }

    private static void divertIfUnanswered(InFlight taken) {
        if (taken != null && !taken.durable().isDone()) {
            taken.divert().run();
        }
    }

    /**
     * Sends to Kafka no more until a probe says it answers again. A probe proves the broker answers, not
     * that it acknowledges (a partition without a leader, too few in-sync replicas): when Kafka fails again
     * soon after it was resumed, the next probe waits twice as long, up to {@link #MAX_PROBE_INTERVAL}, so a
     * broker that answers but does not acknowledge costs a wait of the acknowledgement time now and then
     * rather than every second. A failure reported by a producer already replaced says nothing about Kafka
     * now (it may be the old producer's answer to a send made before it was replaced) and suspends nothing.
     */
    private void suspend(Producer<String, String> failed, Exception cause) {
        synchronized (producerLock) {
            if (failed != producer || !kafkaUsable) {
                return;
            }
            kafkaUsable = false;
            boolean soonAfterResuming = System.nanoTime() - resumedAt < MAX_PROBE_INTERVAL.toNanos();
            probeInterval = soonAfterResuming ? min(probeInterval.multipliedBy(2), MAX_PROBE_INTERVAL) : PROBE_INTERVAL;
        }
        LOG.warnf("Kafka did not take events, writing them to the outbox until it answers again [service: %s,"
                + " cause: %s]", settings.service(), cause.toString());
        synchronized (probeSignal) {
            probeSignal.notifyAll();
        }
    }

    private void probeWhileRunning() {
        boolean first = true;
        // Grows only while probes fail on this side (below); how Kafka answers sets probeInterval.
        Duration pauseAfterFailure = Duration.ZERO;
        while (running) {
            try {
                synchronized (probeSignal) {
                    if (kafkaUsable) {
                        probeSignal.wait();
                    }
                }
                if (!running) {
                    return;
                }
                // A pause first, but at start: a broker that just failed a send is not asked again at once.
                if (!first) {
                    TimeUnit.MILLISECONDS.sleep(max(probeInterval, pauseAfterFailure).toMillis());
                }
                first = false;
                Producer<String, String> fresh = running ? probe() : null;
                pauseAfterFailure = Duration.ZERO;
                if (fresh != null) {
                    resume(fresh);
                }
            } catch (InterruptedException | InterruptException e) {
                // Kafka's InterruptException: close() interrupted this thread while it closed a producer (Kafka
                // logs that itself, at error level).
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Without this thread the service would stay on the outbox for good: log and probe again. Not an
                // outage but a failure the next probe will likely repeat (a producer setting Kafka refuses, topics
                // it will not create): each pause twice the last, up to the longest, until a probe gets through.
                pauseAfterFailure = min(max(probeInterval, pauseAfterFailure).multipliedBy(2), MAX_PROBE_INTERVAL);
                LOG.errorf(e, "Kafka probe failed, probing again in %d s [service: %s]",
                        pauseAfterFailure.toSeconds(), settings.service());
            }
        }
    }

    /**
     * A new producer once the broker answers and the producer knows every topic's partitions; null when not.
     */
    private Producer<String, String> probe() throws InterruptedException {
        try {
            KafkaTopics.ensure(settings.kafka(), settings.topics());
        } catch (InterruptedException e) {
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException refused && !(refused instanceof RetriableException)) {
                // The broker answered, and said no (authorization, a topic policy, a setting it rejects).
                throw new IllegalStateException("Kafka refused to create the topics", refused);
            }
            LOG.debugf("Kafka probe failed [service: %s, cause: %s]", settings.service(), e.getCause().toString());
            return null;
        } catch (Exception e) {
            LOG.debugf("Kafka probe failed [service: %s, cause: %s]", settings.service(), e.toString());
            return null;
        }
        Producer<String, String> fresh = newProducer();
        boolean ready = false;
        try {
            ready = hasMetadataForAll(fresh);
            return ready ? fresh : null;
        } finally {
            if (!ready) {
                fresh.close(Duration.ZERO);
            }
        }
    }

    /** With max.block.ms 0 a metadata read does not wait: it asks for the metadata and fails until it came. */
    private boolean hasMetadataForAll(Producer<String, String> kafka) throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        for (NewTopic topic : settings.topics()) {
            while (!hasMetadata(kafka, topic.name())) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        return true;
    }

    /** Publishes through {@code fresh} from now on, and closes the producer it replaces. */
    private void resume(Producer<String, String> fresh) {
        Producer<String, String> replaced = null;
        boolean resumed;
        synchronized (producerLock) {
            resumed = running;
            if (resumed) {
                replaced = producer;
                producer = fresh;
                resumedAt = System.nanoTime();
                kafkaUsable = true;
            }
        }
        // Closing a producer waits for its network thread, whose callbacks may take the lock: closed outside it.
        if (!resumed) {
            fresh.close(Duration.ZERO); // this publisher was closed while probing
            return;
        }
        LOG.infof("Publishing events to Kafka directly [service: %s]", settings.service());
        if (replaced != null) {
            // Its decisions not yet answered go to the outbox at their own deadlines, or when this close fails
            // them after a short wait; either way without stopping the new producer.
            try {
                replaced.close(REPLACED_CLOSE_WAIT);
            } catch (InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.warnf("The replaced Kafka producer did not close cleanly [service: %s, cause: %s]",
                        settings.service(), e.toString());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static boolean hasMetadata(Producer<String, String> kafka, String topic) {
        try {
            return !kafka.partitionsFor(topic).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Producer<String, String> newProducer() {
        Properties properties = EventProducers.acknowledgedByAll(settings.kafka(),
                settings.service() + "-direct-" + producerCount.incrementAndGet());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Math.toIntExact(settings.linger().toMillis()));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        // A topic idle for this long is dropped from the producer's metadata (default 5 min), and the next
        // send would fail at once for want of it (max.block.ms 0): kept, and refreshed, for as long as this runs.
        properties.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, METADATA_KEPT_IDLE.toMillis());
        return producers.apply(properties);
    }

    /**
     * Stops sending; what the producer still holds is sent or, failing that within a few seconds, goes to the
     * outbox (close the outbox after this).
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (producerLock) {
            running = false;
            kafkaUsable = false;
        }
        for (Thread thread : new Thread[]{prober, sweeper}) {
            if (thread != null) {
                thread.interrupt();
                thread.join(5_000);
            }
        }
        Producer<String, String> kafka;
        synchronized (producerLock) {
            kafka = producer;
            producer = null;
        }
        if (kafka != null) {
            // Unsent records fail on close and their callbacks write them to the outbox.
            kafka.close(Duration.ofSeconds(5));
        }
        // What the broker took without answering before the close (no sweep any more) goes there too.
        for (InFlight left = inFlight.poll(); left != null; left = inFlight.poll()) {
            divertIfUnanswered(left);
        }
    }
}
