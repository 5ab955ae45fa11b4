package io.simanchor.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.testing.EmbeddedPostgresServer;
import io.simanchor.support.testing.TableRows;

/**
 * The batched outbox on a real PostgreSQL: what it writes, what it keeps while the database refuses it, and
 * what it drops, counted.
 */
class BatchedOutboxTest {

    private static final Duration WRITTEN_WITHIN = Duration.ofSeconds(10);

    private static EmbeddedPostgresServer postgres;
    private static PGSimpleDataSource dataSource;
    private static Jdbc jdbc;

    private BatchedOutbox outbox;

    @BeforeAll
    static void startPostgres() throws SQLException {
        postgres = EmbeddedPostgresServer.start();
        dataSource = postgres.dataSource();
        jdbc = new Jdbc(dataSource);
        execute("create table outbox (id bigint generated always as identity primary key, "
                + "event_id uuid not null unique, topic text not null, record_key text not null, "
                + "event_type text not null, payload text not null, occurred_at timestamptz not null, "
                + "published_at timestamptz)");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void emptyOutbox() {
        execute("truncate outbox");
    }

    @AfterEach
    void close() throws InterruptedException {
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void events_offered_before_start_are_kept_and_written_once_it_runs() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        outbox.offer(List.of(event("a")));
        outbox.offer(List.of(event("b"), event("c")));

        outbox.start();

        assertThat(awaitKeys(3)).containsExactly("a", "b", "c");
    }

    @Test
    void a_batch_refused_while_the_database_is_unreachable_is_written_once_it_answers_again() throws Exception {
        AtomicInteger refusalsLeft = new AtomicInteger(3);
        outbox = new BatchedOutbox("test", new Jdbc(unreachableFor(refusalsLeft)), writer(), 100, 10);
        outbox.start();

        outbox.offer(List.of(event("a")));

        assertThat(awaitKeys(1)).containsExactly("a");
        assertThat(refusalsLeft.get()).as("refused three times, then written").isEqualTo(-1);
        assertThat(outbox.dropped()).isZero();
    }

    @Test
    void a_batch_whose_commit_was_not_confirmed_is_tried_again_without_being_written_twice() throws Exception {
        AtomicInteger answersToLose = new AtomicInteger(1);
        outbox = new BatchedOutbox("test", new Jdbc(losingAnswers(answersToLose)), writer(), 100, 10);
        outbox.start();

        outbox.offer(List.of(event("a"), event("b")));

        long deadline = System.nanoTime() + WRITTEN_WITHIN.toNanos();
        while (answersToLose.get() > -1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(answersToLose.get()).as("written, its answer lost, written again").isEqualTo(-1);
        assertThat(keys()).containsExactly("a", "b");
    }

    @Test
    void the_batch_in_hand_while_the_database_is_unreachable_gets_a_last_attempt_at_close() throws Exception {
        AtomicInteger refusalsLeft = new AtomicInteger(Integer.MAX_VALUE);
        outbox = new BatchedOutbox("test", new Jdbc(unreachableFor(refusalsLeft)), writer(), 100, 10);
        outbox.start();
        outbox.offer(List.of(event("a")));
        long deadline = System.nanoTime() + WRITTEN_WITHIN.toNanos();
        while (refusalsLeft.get() > Integer.MAX_VALUE - 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(refusalsLeft.get()).as("refused twice, now waiting to try again").isLessThan(Integer.MAX_VALUE - 1);

        refusalsLeft.set(0);
        outbox.close();

        assertThat(keys()).containsExactly("a");
    }

    @Test
    void a_decision_that_cannot_be_written_costs_only_its_own_events_not_its_batch() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        outbox.offer(List.of(event("a")));
        // Jackson cannot serialise a bare Object: this decision fails the batch's statement every time.
        outbox.offer(List.of(new OutboxEvent("test-topic", "poison", "test.event.v1", new Object(), Instant.now())));
        outbox.offer(List.of(event("b"), event("c")));

        outbox.start();

        assertThat(awaitKeys(3)).containsExactly("a", "b", "c");
    }

    @Test
    void a_key_with_a_nul_character_is_stored_with_a_replacement_character_instead_of_refused() throws Exception {
        // PostgreSQL text cannot hold U+0000, and a refused request's key is whatever the client claimed.
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        outbox.offer(List.of(event("a"), event("evil\u0000key"), event("b")));

        outbox.start();

        assertThat(awaitKeys(3)).containsExactly("a", "evil\uFFFDkey", "b");
    }

    @Test
    void when_the_queue_is_full_further_decisions_are_dropped_and_counted() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 2, 10);
        outbox.offer(List.of(event("a")));
        outbox.offer(List.of(event("b")));

        outbox.offer(List.of(event("c")));

        assertThat(outbox.dropped()).isEqualTo(1);
        outbox.start();
        assertThat(awaitKeys(2)).containsExactly("a", "b");
    }

    @Test
    void a_caller_that_waits_is_told_once_its_events_are_committed_under_the_ids_it_drew() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        outbox.start();
        List<UUID> ids = OutboxWriter.newEventIds(2);

        outbox.write(List.of(event("a"), event("b")), ids).toCompletableFuture().get(10, TimeUnit.SECONDS);

        // Complete means committed: the rows are there the moment the stage says so, not eventually.
        assertThat(keys()).containsExactly("a", "b");
        assertThat(eventIds()).containsExactlyElementsOf(ids);
    }

    @Test
    void a_caller_that_waits_is_told_when_its_events_are_dropped() {
        outbox = new BatchedOutbox("test", jdbc, writer(), 1, 10);
        outbox.offer(List.of(event("fills the queue")));

        CompletableFuture<Void> dropped = outbox.write(List.of(event("a")), OutboxWriter.newEventIds(1))
                .toCompletableFuture();

        assertThat(dropped).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PersistenceException.class);
    }

    @Test
    void a_caller_must_bring_one_id_per_event() {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);

        assertThatThrownBy(() -> outbox.write(List.of(event("a")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_waiting_caller_whose_decision_cannot_be_written_is_told_so_and_the_others_are_not() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        CompletableFuture<Void> good = outbox.write(List.of(event("a")), OutboxWriter.newEventIds(1))
                .toCompletableFuture();
        // Jackson cannot serialise a bare Object: this decision fails the batch's statement every time.
        CompletableFuture<Void> poison = outbox.write(
                List.of(new OutboxEvent("test-topic", "poison", "test.event.v1", new Object(), Instant.now())),
                OutboxWriter.newEventIds(1)).toCompletableFuture();

        outbox.start();

        good.get(10, TimeUnit.SECONDS);
        assertThat(poison).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(PersistenceException.class);
        assertThat(keys()).containsExactly("a");
    }

    @Test
    void a_write_tried_again_under_the_same_ids_adds_nothing_and_still_completes() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        outbox.start();
        UUID id = UUID.randomUUID();
        outbox.write(List.of(event("first")), List.of(id)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        outbox.write(List.of(event("again")), List.of(id)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(keys()).containsExactly("first");
    }

    @Test
    void what_is_queued_when_it_closes_is_written_before_close_returns() throws Exception {
        outbox = new BatchedOutbox("test", jdbc, writer(), 100, 10);
        for (int i = 0; i < 50; i++) {
            outbox.offer(List.of(event("e" + i)));
        }
        outbox.start();

        outbox.close();

        assertThat(keys()).hasSize(50);
        assertThat(outbox.dropped()).isZero();
        outbox.offer(List.of(event("late")));
        assertThat(outbox.dropped()).as("refused once closed").isEqualTo(1);
    }

    private static OutboxWriter writer() {
        return new OutboxWriter(new ObjectMapper(), new OutboxSignal());
    }

    private static OutboxEvent event(String key) {
        return new OutboxEvent("test-topic", key, "test.event.v1", List.of(key), Instant.now());
    }

    /** The database as seen while it is unreachable: the first connections fail as a refused connect does. */
    private static DataSource unreachableFor(AtomicInteger refusalsLeft) {
        return (DataSource) Proxy.newProxyInstance(BatchedOutboxTest.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection") && refusalsLeft.getAndDecrement() > 0) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    return method.invoke(dataSource, arguments);
                });
    }

    /**
     * The database as seen when a connection drops after a commit: the first {@code count} statements take
     * effect, but their answer is an I/O error.
     */
    private static DataSource losingAnswers(AtomicInteger count) {
        return (DataSource) Proxy.newProxyInstance(BatchedOutboxTest.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, arguments) -> {
                    Object result = method.invoke(dataSource, arguments);
                    return method.getName().equals("getConnection")
                            ? wrap(Connection.class, result, "prepareStatement",
                                    statement -> wrap(PreparedStatement.class, statement, "executeUpdate", updated -> {
                                        if (count.getAndDecrement() > 0) {
                                            throw new SQLException("An I/O error occurred while sending to the backend",
                                                    "08006");
                                        }
                                        return updated;
                                    }))
                            : result;
                });
    }

    private interface Outcome {

        Object after(Object result) throws SQLException;
    }

    /** {@code target} as {@code type}, with {@code outcome} applied to what {@code methodName} returns. */
    private static Object wrap(Class<?> type, Object target, String methodName, Outcome outcome) {
        return Proxy.newProxyInstance(BatchedOutboxTest.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, arguments) -> {
                    try {
                        Object result = method.invoke(target, arguments);
                        return method.getName().equals(methodName) ? outcome.after(result) : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The record keys in the outbox once it holds {@code count} rows (or what it holds at the deadline). */
    private static List<String> awaitKeys(int count) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + WRITTEN_WITHIN.toNanos();
        List<String> keys = keys();
        while (keys.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            keys = keys();
        }
        return keys;
    }

    private static List<UUID> eventIds() throws SQLException {
        return new TableRows(dataSource).values("select event_id from outbox order by id", UUID.class);
    }

    private static List<String> keys() throws SQLException {
        return new TableRows(dataSource).values("select record_key from outbox order by id", String.class);
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
