package io.simanchor.support.persistence;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxWriter;

/**
 * Records single-use values (attestation nonces, client-assertion {@code jti}s) on PostgreSQL with group
 * commit, each with the event its first use produces. The record and the event must be durable before
 * the caller answers, and a commit per request would make the database's commit rate the service's
 * ceiling. So concurrent callers queue here and one writer records them together, in one statement that
 * commits on its own: an {@code insert ... on conflict do nothing returning} of the values (what it returns
 * are the new ones, also across instances, because they share the primary key) with, in a {@code with}
 * clause, the insert of the new ones' events into the outbox. One message to PostgreSQL and one commit per
 * batch; a lone request is written at once; batches form only under load. A caller that publishes its
 * events another way, after the value is recorded and before it answers ({@code DirectPublisher}), uses a
 * ledger {@link #withoutEvents without events}: the same statement without its {@code with} clause.
 *
 * <p>
 * The table needs a {@code bytea} primary key column and an {@code expires_at timestamptz} column, so
 * housekeeping can delete rows once the value could no longer be accepted anyway: {@link #FORGET_AFTER}
 * past {@code expires_at}, not at once, because a caller checks a value's expiry before it queues it here.
 *
 * <p>
 * Every caller gets an answer about a deadline after it queued its value (up to a quarter of the deadline
 * later, at most 250 ms), also when the database hangs rather than fails (a lock held elsewhere, a dead
 * connection without a reset): a watchdog fails what has waited too long with a {@link PersistenceException},
 * so the caller refuses (503) instead of hanging, and the event loops' callers never wait forever. A value
 * still queued is dropped unwritten. A value whose batch is being written when its deadline passes may yet
 * be committed with its event: the caller was refused, but the value stays used and the event (an audit
 * record) lists a decision the client never received, which errs on the side of the audit trail.
 *
 * @param <P> what the caller records with a value; turned into its event on first use
 */
public final class FirstUseLedger<P> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FirstUseLedger.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private record Pending<P>(byte[] id, Instant expiresAt, P payload, long queuedAt,
            CompletableFuture<Boolean> recorded) {
    }

    /** How long a caller waits for its value to be recorded before it is refused as unrecordable. */
    private static final Duration DEFAULT_ANSWER_WITHIN = Duration.ofSeconds(5);

    /**
     * How long after its expiry housekeeping may forget a recorded value. Callers check a value's expiry,
     * then wait (for a policy read, for the group commit) before it is recorded; had its first record been
     * deleted the moment it expired, a copy checked just before expiry and recorded just after would be
     * taken for a first use. A minute is far longer than any such wait (each is bounded by a 5 s deadline).
     */
    public static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    private final String name;
    private final Jdbc jdbc;
    private final OutboxWriter outbox;
    private final String insert;
    private final int maxBatch;
    private final Function<P, Optional<OutboxEvent>> eventOf;
    private final long answerWithinNanos;
    /**
     * Values waiting for the writer. Callers that do not block (event loops) would otherwise queue without
     * limit while the database stalls; past this many, a value is refused as unrecordable (503, retry).
     */
    static final int MAX_PENDING = 10_000;

    private final BlockingQueue<Pending<P>> queue = new LinkedBlockingQueue<>(MAX_PENDING);
    private volatile boolean running;
    private Thread writer;
    private Thread watchdog;
    /** The batch the writer is recording; null between batches. */
    private volatile List<Pending<P>> writing;

    /**
     * @param name the writer thread's name
     * @param table table name (a fixed identifier from code, never input)
     * @param idColumn its primary key column
     * @param maxBatch most values per commit
     * @param eventOf the event a value's first use publishes, if any (null only through {@link #withoutEvents})
     */
    public FirstUseLedger(String name, Jdbc jdbc, OutboxWriter outbox, String table, String idColumn, int maxBatch,
            Function<P, Optional<OutboxEvent>> eventOf) {
        this(name, jdbc, outbox, table, idColumn, maxBatch, eventOf, DEFAULT_ANSWER_WITHIN);
    }

    /**
     * A ledger of values alone, for a caller that publishes its events another way (after the value was
     * recorded, and before it answers).
     */
    public static FirstUseLedger<Void> withoutEvents(String name, Jdbc jdbc, String table, String idColumn,
            int maxBatch) {
        return new FirstUseLedger<>(name, jdbc, null, table, idColumn, maxBatch, null, DEFAULT_ANSWER_WITHIN);
    }

    /**
     * @param answerWithin how long a caller waits for its value to be recorded before it is refused
     */
    public FirstUseLedger(String name, Jdbc jdbc, OutboxWriter outbox, String table, String idColumn, int maxBatch,
            Function<P, Optional<OutboxEvent>> eventOf, Duration answerWithin) {
        if (answerWithin.isNegative() || answerWithin.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive");
        }
        if ((outbox == null) != (eventOf == null)) {
            throw new IllegalArgumentException("events need an outbox, and an outbox needs events");
        }
        if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(idColumn).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier");
        }
        this.name = name;
        this.jdbc = jdbc;
        this.outbox = outbox;
        String insertValues = "insert into " + table + " (" + idColumn + ", expires_at) "
                + "select value_id, expires_at from unnest(?::bytea[], ?::text[]::timestamptz[]) as value(value_id, expires_at) "
                // Rows locked in one order by every instance: two batches sharing values cannot deadlock.
                + "order by value_id on conflict do nothing returning " + idColumn;
        this.insert = eventOf == null
                ? insertValues
                : "with fresh as (" + insertValues + "), "
                        + "events as (" + OutboxWriter.insertOwnedEvents("select " + idColumn + " from fresh") + ") "
                        + "select " + idColumn + " from fresh";
        this.maxBatch = maxBatch;
        this.eventOf = eventOf;
        this.answerWithinNanos = answerWithin.toNanos();
    }

    /** Starts the writer thread. */
    public void start() {
        running = true;
        writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
        watchdog = new Thread(this::watch, name + "-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(5_000);
        }
        // Stopped after the writer: a writer stuck in JDBC (an interrupt does not end a socket read) still
        // has its callers refused, by the sweep below if not by the watchdog's deadline.
        if (watchdog != null) {
            watchdog.interrupt();
            watchdog.join(5_000);
        }
        List<Pending<P>> batch = writing;
        if (batch != null) {
            PersistenceException stopped = notRunning();
            batch.forEach(pending -> pending.recorded().completeExceptionally(stopped));
        }
        failQueued(notRunning());
    }

    /**
     * Records {@code id} and, if this is its first use, the payload's event, durably; blocks until
     * committed, or until the deadline refuses it.
     *
     * @return true on first use, false if the value was recorded before (by any instance)
     * @throws PersistenceException or another runtime exception when the batch could not be written
     */
    public boolean recordFirstUse(byte[] id, Instant expiresAt, P payload) {
        try {
            return enqueue(id, expiresAt, payload).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Records {@code id} and, if this is its first use, the payload's event, without blocking the caller:
     * the result completes on the writer thread once the batch is committed, so a caller on an event loop
     * must hop back to it before doing more than a little work. The stage is a copy: a caller may cancel
     * or complete it (RESTEasy cancels a disconnected client's) without touching the ledger's own.
     *
     * @return completes with true on first use, false if the value was recorded before (by any instance);
     *         or fails with the exception that kept the batch from being written
     */
    public CompletionStage<Boolean> record(byte[] id, Instant expiresAt, P payload) {
        return enqueue(id, expiresAt, payload).copy();
    }

    private CompletableFuture<Boolean> enqueue(byte[] id, Instant expiresAt, P payload) {
        if (!running) {
            return CompletableFuture.failedFuture(notRunning());
        }
        Pending<P> pending = new Pending<>(id, expiresAt, payload, System.nanoTime(), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(
                    new PersistenceException(name + " backlog full: the database is not keeping up"));
        }
        if (!running && queue.remove(pending)) {
            // Stopped between the check and the offer, perhaps after the writer's last drain: nobody else
            // would ever complete it.
            return CompletableFuture.failedFuture(notRunning());
        }
        return pending.recorded();
    }

    /** Unavailable rather than broken: the caller answers 503 and the client retries elsewhere. */
    private PersistenceException notRunning() {
        return new PersistenceException(name + " is not running (the service is starting or stopping)");
    }

    private void run() {
        List<Pending<P>> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                writing = batch;
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.warnf("Single-use values not recorded, refusing them [ledger: %s, count: %d, cause: %s]", name,
                        batch.size(), e.toString());
                batch.forEach(pending -> pending.recorded().completeExceptionally(e));
            } catch (Error e) {
                // Not worth dying for: the writer would take every waiting caller with it, and the callers
                // that do not block would wait forever. Each batch fails (503) while the error lasts.
                LOG.errorf(e, "Single-use values not recorded, refusing them [ledger: %s, count: %d]", name,
                        batch.size());
                PersistenceException failure = new PersistenceException(name + " failed: " + e);
                batch.forEach(pending -> pending.recorded().completeExceptionally(failure));
            } finally {
                writing = null;
                batch = new ArrayList<>(maxBatch); // the watchdog may still be reading the old one
            }
        }
        failQueued(notRunning());
    }

    private void failQueued(PersistenceException failure) {
        List<Pending<P>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.recorded().completeExceptionally(failure));
    }

    /**
     * Fails whatever has waited past its deadline, counted from when it was queued, a few times per deadline;
     * runs until the writer has stopped.
     */
    private void watch() {
        long period = Math.max(Duration.ofMillis(10).toNanos(), Math.min(answerWithinNanos / 4, 250_000_000L));
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TimeUnit.NANOSECONDS.sleep(period);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                refuseOverdue(System.nanoTime());
            } catch (RuntimeException | Error e) {
                // Without this thread nothing bounds the callers' wait any more: log and keep sweeping.
                LOG.errorf(e, "Deadline sweep failed [ledger: %s]", name);
            }
        }
    }

    private void refuseOverdue(long now) {
        List<Pending<P>> overdue = new ArrayList<>();
        List<Pending<P>> batch = writing;
        if (batch != null) {
            batch.stream().filter(pending -> isOverdue(pending, now)).forEach(overdue::add);
        }
        // Queued in about arrival order: the sweep stops at the first value still within its deadline.
        for (Pending<P> head = queue.peek(); head != null && isOverdue(head, now); head = queue.peek()) {
            if (queue.remove(head)) {
                overdue.add(head);
            }
        }
        if (!overdue.isEmpty()) {
            PersistenceException failure = new PersistenceException(name + " did not record the value within "
                    + Duration.ofNanos(answerWithinNanos).toMillis() + " ms");
            overdue.forEach(pending -> pending.recorded().completeExceptionally(failure));
        }
    }

    private boolean isOverdue(Pending<P> pending, long now) {
        return !pending.recorded().isDone() && now - pending.queuedAt() > answerWithinNanos;
    }

    private void write(List<Pending<P>> batch) {
        // A value queued twice in one batch (a replay racing its original) is new at most once: only its
        // first occurrence goes to the database, the others are replays whatever the database says.
        boolean[] candidate = new boolean[batch.size()];
        Set<ByteBuffer> seen = new HashSet<>();
        List<byte[]> ids = new ArrayList<>(batch.size());
        List<String> expiries = new ArrayList<>(batch.size());
        List<byte[]> owners = new ArrayList<>();
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending<P> pending = batch.get(i);
            candidate[i] = seen.add(ByteBuffer.wrap(pending.id()));
            if (candidate[i]) {
                ids.add(pending.id());
                expiries.add(pending.expiresAt().toString());
                // Built for every candidate; the statement keeps only the events of values that were new.
                if (eventOf != null) {
                    eventOf.apply(pending.payload()).ifPresent(event -> {
                        owners.add(pending.id());
                        events.add(event);
                    });
                }
            }
        }
        Set<ByteBuffer> fresh = jdbc.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setArray(1, connection.createArrayOf("bytea", ids.toArray(byte[][]::new)));
                statement.setArray(2, connection.createArrayOf("text", expiries.toArray(String[]::new)));
                if (outbox != null) {
                    outbox.bindOwnedEvents(statement, 3, owners, events);
                }
                Set<ByteBuffer> inserted = new HashSet<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(ByteBuffer.wrap(rows.getBytes(1)));
                    }
                }
                return inserted;
            }
        });
        if (!events.isEmpty()) {
            outbox.committed();
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending<P> pending = batch.get(i);
            pending.recorded().complete(candidate[i] && fresh.contains(ByteBuffer.wrap(pending.id())));
        }
    }
}
