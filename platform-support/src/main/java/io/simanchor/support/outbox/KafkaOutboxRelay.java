package io.simanchor.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.simanchor.support.messaging.KafkaConnection;
import io.simanchor.support.messaging.RecordSigner;

/**
 * Publishes a service's transactional outbox to Kafka, in commit order, one relay at a time across all
 * instances (a PostgreSQL advisory lock). A row is marked published only after the broker acknowledged
 * it (acks=all, idempotent producer); while Kafka is down rows simply wait, and the relay retries with
 * back-off. Each record carries CloudEvents binary-mode headers with {@code ce_id} = the event id, so a
 * consumer can drop the duplicate that a crash between acknowledgement and marking could cause.
 */
public final class KafkaOutboxRelay {

    private static final Logger LOG = Logger.getLogger(KafkaOutboxRelay.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /**
     * What one service's relay publishes and how.
     *
     * @param service the service name: CloudEvents source {@code /simanchor/<service>} and the producer's client id
     * @param lockKey PostgreSQL advisory lock key, unique per service schema
     * @param kafka where Kafka is and how the relay authenticates
     * @param topics topics the relay creates if missing (with their configs)
     * @param pollInterval how often the relay looks for events when nothing woke it
     * @param batchLinger after a round that published less than a full batch, how long events may gather
     *        before the next one: fewer, larger rounds (one Kafka flush and one commit each) under load
     * @param batchSize most events published in one round
     * @param keepPublished whether a published row stays, marked with its publication time until housekeeping
     *        removes it after the service's retention, or is deleted as soon as the broker has it (a
     *        retention of zero)
     */
    public record Settings(String service, long lockKey, KafkaConnection kafka, List<NewTopic> topics,
            Duration pollInterval, Duration batchLinger, int batchSize, boolean keepPublished) {

        public Settings {
            topics = List.copyOf(topics);
        }
    }

    private final DataSource dataSource;
    private final OutboxSignal signal;
    private final Settings settings;
    private final RecordSigner signer;
    private final String source;

    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, String> producer;
    private boolean topicsReady;

    public KafkaOutboxRelay(DataSource dataSource, OutboxSignal signal, Settings settings) {
        this(dataSource, signal, settings, RecordSigner.none());
    }

    /** @param signer signs the records of the topics that authorise a device (docs/security.md) */
    public KafkaOutboxRelay(DataSource dataSource, OutboxSignal signal, Settings settings, RecordSigner signer) {
        this.dataSource = dataSource;
        this.signal = signal;
        this.settings = settings;
        this.signer = signer;
        this.source = "/simanchor/" + settings.service();
    }

    /** Starts the relay thread. */
    public void start() {
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
        LOG.infof("Outbox relay started [%s]", settings.kafka());
    }

    /** Stops the relay thread after its current round. */
    public void stop() throws InterruptedException {
        running = false;
        signal.wakeUp();
        if (worker != null) {
            worker.join(10_000);
        }
        closeProducer();
    }

    private void run() {
        connectAhead();
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                int published = publishBatch();
                backoff = 0;
                if (published == 0) {
                    signal.await(settings.pollInterval().toMillis());
                } else if (published < settings.batchSize()) {
                    Thread.sleep(settings.batchLinger().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                LOG.warnf("Outbox relay cannot publish now, retrying in %d ms [cause: %s]", backoff, e.toString());
                closeProducer();
            }
        }
    }

    /**
     * Sets up what the first event needs before it is there: the topics, the producer, its TLS session with
     * the broker and the topics' metadata. Cold, on two cores, that took about 3 s, and the devices enrolled
     * first waited that long for their lifecycle records (the demo's first appraisals met the verifier's rate
     * limit while their device was still unknown to it). Failing here is not an error: the first round
     * tries again.
     */
    private void connectAhead() {
        try {
            ensureTopics();
            for (var topic : settings.topics()) {
                if (!running) {
                    return;
                }
                producer().partitionsFor(topic.name());
            }
        } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("Outbox relay could not connect ahead [cause: %s]", e.toString());
            closeProducer();
        }
    }

    /** Publishes up to one batch; returns how many events left the outbox. */
    private int publishBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!tryRelayLock(connection)) {
                    connection.commit();
                    return 0;
                }
                List<Row> rows = nextRows(connection);
                if (rows.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                ensureTopics();
                List<Long> acknowledged = send(rows);
                leave(connection, acknowledged);
                connection.commit();
                if (acknowledged.size() < rows.size()) {
                    throw new TimeoutException("broker acknowledged " + acknowledged.size() + " of " + rows.size());
                }
                return acknowledged.size();
            } catch (SQLException | RuntimeException | InterruptedException | ExecutionException
                    | TimeoutException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private boolean tryRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, settings.lockKey());
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private List<Row> nextRows(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select id, event_id, topic, record_key, event_type, payload, occurred_at from outbox "
                        + "where published_at is null order by id limit ?")) {
            select.setInt(1, settings.batchSize());
            List<Row> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getObject(2, UUID.class), result.getString(3),
                            result.getString(4), result.getString(5), result.getString(6),
                            result.getTimestamp(7).toInstant().toString()));
                }
            }
            return rows;
        }
    }

    /** Sends in order and returns the ids of the leading rows the broker acknowledged. */
    private List<Long> send(List<Row> rows) throws InterruptedException {
        KafkaProducer<String, String> kafka = producer();
        List<Future<RecordMetadata>> results = new ArrayList<>(rows.size());
        for (Row row : rows) {
            results.add(kafka.send(toRecord(row)));
        }
        kafka.flush();
        List<Long> acknowledged = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                results.get(i).get();
                acknowledged.add(rows.get(i).id());
            } catch (ExecutionException e) {
                // Stop at the first failure: later rows stay unpublished so the per-key order holds.
                LOG.debugf("Event not acknowledged [event: %s, cause: %s]", rows.get(i).eventId(), e.getCause());
                break;
            }
        }
        return acknowledged;
    }

    private ProducerRecord<String, String> toRecord(Row row) {
        return signer.sign(CloudEventRecords.of(source, row.eventId(), row.topic(), row.key(), row.type(),
                row.payload(), row.occurredAt()));
    }

    /** Marks the published rows, or deletes them when they are not kept. */
    private void leave(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement leave = connection.prepareStatement(settings.keepPublished()
                ? "update outbox set published_at = now() where id = any (?)"
                : "delete from outbox where id = any (?)")) {
            leave.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            leave.executeUpdate();
        }
    }

    private void ensureTopics() throws InterruptedException, ExecutionException, TimeoutException {
        if (topicsReady) {
            return;
        }
        KafkaTopics.ensure(settings.kafka(), settings.topics());
        topicsReady = true;
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties properties = EventProducers.acknowledgedByAll(settings.kafka(),
                    settings.service() + "-outbox");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
            producer = new KafkaProducer<>(properties);
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }

    private record Row(long id, UUID eventId, String topic, String key, String type, String payload,
            String occurredAt) {
    }
}
