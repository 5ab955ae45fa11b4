package io.simanchor.support.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * {@link #start} wait for it; events queued when it {@link #close closes} are written then.
 *
 * <p>
 * A batch the database refuses for a while (a {@linkplain PersistenceException#isTransient() transient}
 * failure: down, failing over, timed out) is tried again, first after {@value #FIRST_RETRY_WAIT_MILLIS} ms,
 * then twice as long each time up to {@value #MAX_RETRY_WAIT_MILLIS} ms, until it is written or the outbox
 * closes; meanwhile the queue fills and, once full, drops. A batch keeps the event ids drawn for its first
 * attempt, so one whose commit was never confirmed is not written twice. A batch the database refuses for
 * what it says is split in halves until the decision it refuses is alone, so one bad decision never costs the
 * others their events. What is lost (that decision, a batch still refused at shutdown) is named in the log
 * event by event (topic, key, type and, for a security event, its reason code).
 *
 * <p>
 * The writer is never interrupted: an interrupt would reach the connection pool and fail the very write it
 * was meant to let finish. It polls the queue, and waits between attempts on a latch {@link #close} opens.
 *
 * <p>
 * A caller that must know its events are durable before it answers ({@link DirectPublisher}, when Kafka did
 * not take them) uses {@link #write} instead of {@link #offer}: same queue, same batches, and a stage that
 * completes with the commit or fails when the events are dropped or lost.
 */
public final class BatchedOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchedOutbox.class);
    private static final int LOST_EVENTS_LOGGED = 20;
    static final long FIRST_RETRY_WAIT_MILLIS = 100;
    static final long MAX_RETRY_WAIT_MILLIS = 5_000;
    private static final long POLL_MILLIS = 200;
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final String name;
    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final int maxBatch;
    private final BlockingQueue<Decision> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropWarning = new AtomicLong();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    /** Set by {@link #close}; events offered before {@link #start} are kept and written once it runs. */
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
        enqueue(new Decision(events, null, null));
    }

    /**
     * Queues the events of one decision under ids the caller drew ({@link OutboxWriter#newEventIds}), so an
     * event it may also have published elsewhere keeps one id ({@code ce_id}); never blocks.
     *
     * @return completes once the events are committed; fails with a {@link PersistenceException} if they are
     *         dropped (queue full, closed) or lost (refused by the database, still unwritten at close)
     */
    public CompletionStage<Void> write(List<OutboxEvent> events, List<UUID> eventIds) {
        if (eventIds.size() != events.size()) {
            throw new IllegalArgumentException("one id per event");
        }
        Decision decision = new Decision(List.copyOf(events), List.copyOf(eventIds), new CompletableFuture<>());
        enqueue(decision);
        return decision.written().copy();
    }

    private void enqueue(Decision decision) {
        if (closed || !queue.offer(decision)) {
            countDropped(1);
            decision.fail(new PersistenceException("outbox " + name + " is full or closed: events not written"));
        } else if (closed && queue.remove(decision)) {
            // Closed between the check and the offer, perhaps after the last drain: nobody would write it.
            countDropped(1);
            logLost(decision.events());
            decision.fail(new PersistenceException("outbox " + name + " closed: events not written"));
        }
    }

    /** Decisions not written: offered when the queue was full or after it closed, or left at close. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        running = false;
        stopping.countDown();
        if (writer != null) {
            writer.join(CLOSE_WAIT_MILLIS);
            Batch stuck = inHand;
            if (writer.isAlive() && stuck != null) {
                // Blocked in the database past the wait (the JVM may end before it returns): named now.
                LOG.errorf("Outbox %s: %d decisions still being written at shutdown, perhaps lost", name,
                        stuck.decisions().size());
                logLost(stuck.events());
                // Its callers answer now; should the commit still land, the events exist after all.
                PersistenceException unconfirmed = new PersistenceException(
                        "outbox " + name + " did not confirm the write before shutdown");
                stuck.decisions().forEach(decision -> decision.fail(unconfirmed));
            }
        }
        // Offered as the writer ended, never started, or left by a database that stopped answering: counted
        // and named rather than lost in silence.
        List<Decision> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            countDropped(left.size());
            LOG.errorf("Outbox %s: %d decisions not written at shutdown", name, left.size());
            logLost(eventsOf(left));
            PersistenceException notWritten = new PersistenceException(
                    "outbox " + name + " closed: events not written");
            left.forEach(decision -> decision.fail(notWritten));
        }
    }

    private void run() {
        try {
            while (running) {
                Decision first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<Decision> decisions = new ArrayList<>(maxBatch);
                    decisions.add(first);
                    queue.drainTo(decisions, maxBatch - 1);
                    writeUntilAccepted(Batch.of(decisions));
                }
            }
            writeQueuedAtClose();
        } catch (InterruptedException e) {
            // Nobody here interrupts the writer: someone wants the thread to end now. close() names the rest.
            Thread.currentThread().interrupt();
        } finally {
            inHand = null;
        }
    }

    /**
     * What is queued at close, a batch at a time, until the database refuses one for a while: close() then
     * names the rest once, not batch by batch.
     */
    private void writeQueuedAtClose() {
        for (List<Decision> decisions = takeQueued(); !decisions.isEmpty(); decisions = takeQueued()) {
            if (!writeLastTime(Batch.of(decisions))) {
                return;
            }
        }
    }

    /**
     * One attempt, the last for this batch: what the database refuses for what it says is split as always,
     * and what it refuses for a while is lost.
     *
     * @return false if the database is not taking writes
     */
    private boolean writeLastTime(Batch batch) {
        try {
            write(batch);
        } catch (PersistenceException e) {
            if (e.isTransient()) {
                lost(batch, e);
                return false;
            }
            writeSplitting(batch, e);
        } catch (RuntimeException bug) {
            writeSplitting(batch, bug);
        }
        return true;
    }

    private List<Decision> takeQueued() {
        List<Decision> decisions = new ArrayList<>(maxBatch);
        queue.drainTo(decisions, maxBatch);
        return decisions;
    }

    /**
     * Writes the batch, trying again while the database refuses it for a while; once the outbox is closing,
     * one last attempt. Returns when written or given up.
     */
    private void writeUntilAccepted(Batch batch) throws InterruptedException {
        long wait = FIRST_RETRY_WAIT_MILLIS;
        long lastWarning = 0;
        for (long attempt = 1;; attempt++) {
            try {
                write(batch);
                if (attempt > 1) {
                    LOG.infof("Outbox %s: %d decisions written after %d attempts", name, batch.decisions().size(),
                            attempt);
                }
                return;
            } catch (PersistenceException e) {
                if (!e.isTransient()) {
                    writeSplitting(batch, e);
                    return;
                }
                if (stopping.getCount() == 0) {
                    lost(batch, e);
                    return;
                }
                long now = System.nanoTime();
                if (attempt == 1 || now - lastWarning >= WARN_EVERY_NANOS) {
                    lastWarning = now;
                    LOG.warnf("Outbox %s: %d decisions not written yet, trying again [attempt: %d, cause: %s]", name,
                            batch.decisions().size(), attempt, describe(e));
                }
            } catch (RuntimeException bug) {
                writeSplitting(batch, bug);
                return;
            }
            if (stopping.await(wait, TimeUnit.MILLISECONDS)) {
                writeLastTime(batch);
                return;
            }
            wait = Math.min(2 * wait, MAX_RETRY_WAIT_MILLIS);
        }
    }

    /**
     * The database refused the batch for what it says (or it cannot be written at all): halves are written
     * on their own, down to the one decision that is refused, which alone is lost.
     */
    private void writeSplitting(Batch batch, RuntimeException refusal) {
        if (batch.decisions().size() == 1) {
            lost(batch, refusal);
            return;
        }
        int half = batch.decisions().size() / 2;
        for (Batch part : List.of(batch.part(0, half), batch.part(half, batch.decisions().size()))) {
            try {
                write(part);
            } catch (RuntimeException e) {
                writeSplitting(part, e);
            }
        }
    }

    private void write(Batch batch) {
        inHand = batch;
        // One statement, so no transaction around it: it is atomic on its own.
        jdbc.read(connection -> {
            outbox.appendAllOnce(connection, batch.eventIds(), batch.events());
            return null;
        });
        outbox.committed();
        batch.decisions().forEach(Decision::succeed);
    }

    private void lost(Batch batch, RuntimeException cause) {
        LOG.errorf("Outbox %s: %d decisions not written [cause: %s]", name, batch.decisions().size(),
                describe(cause));
        logLost(batch.events());
        PersistenceException notWritten = cause instanceof PersistenceException failure
                ? failure
                : new PersistenceException("outbox " + name + " could not write the events: " + cause);
        batch.decisions().forEach(decision -> decision.fail(notWritten));
    }

    private void countDropped(int decisions) {
        long count = dropped.addAndGet(decisions);
        long now = System.nanoTime();
        long last = lastDropWarning.get();
        if ((last == 0 || now - last >= WARN_EVERY_NANOS) && lastDropWarning.compareAndSet(last, now)) {
            LOG.warnf("Outbox %s full or stopped: %d decisions dropped so far", name, count);
        }
    }

    /** The failure and, for a database failure, what the driver or the pool said. */
    private static String describe(RuntimeException failure) {
        Throwable cause = failure.getCause();
        return cause == null ? failure.toString() : failure + " (" + cause + ")";
    }

    /**
     * The events of some decisions with the ids they are written under, drawn once: a batch tried again
     * after a commit whose answer never came is not written twice.
     *
     * @param decisions each decision's events
     * @param events the decisions' events in order
     * @param eventIds one per event, in the same order
     */
    private record Batch(List<Decision> decisions, List<OutboxEvent> events, List<UUID> eventIds) {

        static Batch of(List<Decision> decisions) {
            List<OutboxEvent> events = eventsOf(decisions);
            List<UUID> eventIds = new ArrayList<>(events.size());
            decisions.forEach(decision -> eventIds.addAll(decision.eventIds() != null
                    ? decision.eventIds()
                    : OutboxWriter.newEventIds(decision.events().size())));
            return new Batch(decisions, events, eventIds);
        }

        /** Decisions {@code from} (inclusive) to {@code to}, with their ids. */
        Batch part(int from, int to) {
            int firstEvent = eventsOf(decisions.subList(0, from)).size();
            List<Decision> part = decisions.subList(from, to);
            List<OutboxEvent> partEvents = events.subList(firstEvent, firstEvent + eventsOf(part).size());
            return new Batch(part, partEvents, eventIds.subList(firstEvent, firstEvent + partEvents.size()));
        }
    }

    /**
     * One decision's events, written together.
     *
     * @param eventIds the ids the caller drew, or null to draw them with the batch
     * @param written completed with the commit, for a caller that waits for it; or null
     */
    private record Decision(List<OutboxEvent> events, List<UUID> eventIds, CompletableFuture<Void> written) {

        void succeed() {
            if (written != null) {
                written.complete(null);
            }
        }

        void fail(PersistenceException failure) {
            if (written != null) {
                written.completeExceptionally(failure);
            }
        }
    }

    private static List<OutboxEvent> eventsOf(List<Decision> decisions) {
        List<OutboxEvent> events = new ArrayList<>();
        decisions.forEach(decision -> events.addAll(decision.events()));
        return events;
    }

    /**
     * Names what was lost, so an operator can still act on an alert the database did not take (without the
     * payload's details); at most {@value #LOST_EVENTS_LOGGED} lines per batch. Keys come from requests, so
     * their control characters are escaped: a key cannot forge log lines.
     */
    private void logLost(List<OutboxEvent> events) {
        events.stream()
                .limit(LOST_EVENTS_LOGGED)
                .forEach(event -> LOG.errorf(
                        "Outbox %s: event not written [topic: %s, key: %s, type: %s, reason: %s, at: %s]", name,
                        event.topic(), printable(event.key()), event.type(),
                        event.payload() instanceof SecurityEventV1 alert ? alert.reasonCode() : "-",
                        event.occurredAt()));
        if (events.size() > LOST_EVENTS_LOGGED) {
            LOG.errorf("Outbox %s: and %d more events not written", name, events.size() - LOST_EVENTS_LOGGED);
        }
    }

    private static String printable(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        text.chars()
                .forEach(c -> printable.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : (char) c));
        return printable.toString();
    }
}
