package io.simanchor.support.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.persistence.PersistenceException;

/**
 * Queues events that need no transaction of their own (decisions and refusals that change no state) and
 * writes them to the outbox in batches from one thread, so a request never waits for their commit and a
 * burst of refused requests costs one commit per batch rather than one per request.
 *
 * <p>
 * The queue is bounded: when a flood outruns the database, further events are dropped and counted
 * ({@link #dropped()}) instead of holding memory or slowing the requests down. Events offered before
 * {@link #start} wait for it; events already queued are written at shutdown.
 *
 * <p>
 * A batch the database refuses for a while (a {@linkplain PersistenceException#isTransient() transient}
 * failure: down, failing over, timed out) is tried again, first after {@value #FIRST_RETRY_WAIT_MILLIS} ms,
 * then twice as long each time up to {@value #MAX_RETRY_WAIT_MILLIS} ms, until it is written or the outbox
 * closes; meanwhile the queue fills and, once full, drops. A batch keeps the event ids drawn for its first
 * attempt, so one whose commit was never confirmed is not written twice. A batch that cannot be written at
 * all (an event that does not serialise, a statement the database refuses for what it says: bugs), or is
 * still refused at shutdown, is lost, and each of its events is named in the log (topic, key, type and, for
 * a security event, its reason code).
 */
public final class BatchedOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchedOutbox.class);
    private static final int LOST_EVENTS_LOGGED = 20;
    static final long FIRST_RETRY_WAIT_MILLIS = 100;
    static final long MAX_RETRY_WAIT_MILLIS = 5_000;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

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
    /** The batch the writer is writing, for {@link #close} to name if the database holds it past the wait. */
    private volatile Batch inHand;

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
            writer.join(CLOSE_WAIT_MILLIS);
            Batch stuck = inHand;
            if (writer.isAlive() && stuck != null) {
                // Blocked in the database past the wait (the JVM may end before it returns): named now.
                LOG.errorf("Outbox %s: %d decisions still being written at shutdown, perhaps lost", name,
                        stuck.decisions());
                logLost(stuck.events());
            }
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
        while (running || !queue.isEmpty()) {
            try {
                List<List<OutboxEvent>> decisions = new ArrayList<>(maxBatch);
                if (running) {
                    decisions.add(queue.take());
                }
                queue.drainTo(decisions, maxBatch - decisions.size());
                inHand = Batch.of(decisions);
                writeUntilAccepted(inHand);
                inHand = null;
            } catch (InterruptedException e) {
                // Stopping: one last attempt for the batch in hand (under the ids it was tried with), then for
                // what is queued, a batch at a time.
                Batch last = inHand;
                if (last != null) {
                    writeOnce(last);
                }
                for (List<List<OutboxEvent>> decisions = takeQueued(); !decisions.isEmpty(); decisions = takeQueued()) {
                    inHand = Batch.of(decisions);
                    writeOnce(inHand);
                }
                inHand = null;
                return;
            }
        }
    }

    private List<List<OutboxEvent>> takeQueued() {
        List<List<OutboxEvent>> decisions = new ArrayList<>(maxBatch);
        queue.drainTo(decisions, maxBatch);
        return decisions;
    }

    /** Writes the batch, trying again while the database refuses it; returns when written or given up. */
    private void writeUntilAccepted(Batch batch) throws InterruptedException {
        long wait = FIRST_RETRY_WAIT_MILLIS;
        for (long attempt = 1;; attempt++) {
            try {
                write(batch);
                if (attempt > 1) {
                    LOG.infof("Outbox %s: %d decisions written after %d attempts", name, batch.decisions(), attempt);
                }
                return;
            } catch (PersistenceException e) {
                if (!e.isTransient() || !running) {
                    // Refused for what it says, or closing: then that was the last attempt, even if the driver
                    // swallowed the interrupt.
                    lost(batch, e);
                    return;
                }
                if (Long.bitCount(attempt) == 1) {
                    LOG.warnf("Outbox %s: %d decisions not written yet, trying again [attempt: %d, cause: %s]", name,
                            batch.decisions(), attempt, e.getMessage());
                }
            } catch (RuntimeException bug) {
                lost(batch, bug);
                return;
            }
            Thread.sleep(wait);
            wait = Math.min(2 * wait, MAX_RETRY_WAIT_MILLIS);
        }
    }

    private void writeOnce(Batch batch) {
        try {
            write(batch);
        } catch (RuntimeException e) {
            lost(batch, e);
        }
    }

    private void write(Batch batch) {
        if (batch.events().isEmpty()) {
            return;
        }
        // One statement, so no transaction around it: it is atomic on its own.
        jdbc.read(connection -> {
            outbox.appendAllOnce(connection, batch.eventIds(), batch.events());
            return null;
        });
        outbox.committed();
    }

    private void lost(Batch batch, RuntimeException cause) {
        LOG.errorf("Outbox %s: %d decisions not written [cause: %s]", name, batch.decisions(), cause.toString());
        logLost(batch.events());
    }

    /**
     * The events of some decisions with the ids they are written under, drawn once: a batch tried again
     * after a commit whose answer never came is not written twice.
     */
    private record Batch(int decisions, List<OutboxEvent> events, List<UUID> eventIds) {

        static Batch of(List<List<OutboxEvent>> decisions) {
            List<OutboxEvent> events = eventsOf(decisions);
            return new Batch(decisions.size(), events, OutboxWriter.newEventIds(events.size()));
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
