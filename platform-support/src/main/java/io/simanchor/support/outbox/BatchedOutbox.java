package io.simanchor.support.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.persistence.Jdbc;

/**
 * Queues events that need no transaction of their own (decisions and refusals that change no state) and
 * writes them to the outbox in batches from one thread, so a request never waits for their commit and a
 * burst of refused requests costs one commit per batch rather than one per request. The queue is bounded:
 * when a flood outruns the database, further events are dropped and counted ({@link #dropped()}) instead
 * of holding memory or slowing the requests down. Events offered before {@link #start} wait for it;
 * events already queued are written at shutdown. A batch the database refuses is lost, and each of its
 * events is named in the log (topic, key, type and, for a security event, its reason code).
 */
public final class BatchedOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchedOutbox.class);
    private static final int LOST_EVENTS_LOGGED = 20;

    private final String name;
    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final int maxBatch;
    private final BlockingQueue<List<OutboxEvent>> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;
    /** Set by {@link #close}: events offered before {@link #start} are kept and written once it runs. */
    private volatile boolean closed;
    private Thread writer;

    /**
     * @param capacity most entries waiting at once; each entry is one decision's events
     * @param maxBatch most entries per transaction
     */
    public BatchedOutbox(String name, Jdbc jdbc, OutboxWriter outbox, int capacity, int maxBatch) {
        this.name = name;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    public void start() {
        running = true;
        writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the events of one decision, to be written together; never blocks, never throws. */
    public void offer(List<OutboxEvent> events) {
        if (closed || !queue.offer(events)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || Long.bitCount(count) == 1) {
                LOG.warnf("Outbox queue %s full or stopped: %d decisions dropped so far", name, count);
            }
        }
    }

    /** Decisions dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(5_000);
        }
        // Offered as the writer ended, or never started: counted and named rather than lost in silence.
        List<List<OutboxEvent>> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            dropped.addAndGet(left.size());
            LOG.errorf("Outbox %s: %d decisions not written at shutdown", name, left.size());
            logLost(eventsOf(left));
        }
    }

    private void run() {
        List<List<OutboxEvent>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                if (running) {
                    batch.add(queue.take());
                }
                queue.drainTo(batch, maxBatch - batch.size());
                write(batch);
            } catch (InterruptedException e) {
                // Stopping: write what is queued, then end.
                queue.drainTo(batch);
                write(batch);
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<List<OutboxEvent>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<OutboxEvent> events = eventsOf(batch);
        try {
            // One statement, so no transaction around it: it is atomic on its own.
            jdbc.read(connection -> {
                outbox.appendAll(connection, events);
                return null;
            });
            outbox.committed();
        } catch (RuntimeException e) {
            LOG.errorf("Outbox %s: %d decisions not written [cause: %s]", name, batch.size(), e.toString());
            logLost(events);
        }
    }

    private static List<OutboxEvent> eventsOf(List<List<OutboxEvent>> decisions) {
        List<OutboxEvent> events = new ArrayList<>();
        decisions.forEach(events::addAll);
        return events;
    }

    /**
     * Names what was lost, so an operator can still act on an alert the database did not take (without the
     * payload's details); at most {@value #LOST_EVENTS_LOGGED} lines per batch.
     */
    private void logLost(List<OutboxEvent> events) {
        events.stream()
                .limit(LOST_EVENTS_LOGGED)
                .forEach(event -> LOG.errorf(
                        "Outbox %s: event not written [topic: %s, key: %s, type: %s, reason: %s, at: %s]", name,
                        event.topic(),
                        event.key(), event.type(),
                        event.payload() instanceof SecurityEventV1 alert ? alert.reasonCode() : "-",
                        event.occurredAt()));
        if (events.size() > LOST_EVENTS_LOGGED) {
            LOG.errorf("Outbox %s: and %d more events not written", name, events.size() - LOST_EVENTS_LOGGED);
        }
    }
}
