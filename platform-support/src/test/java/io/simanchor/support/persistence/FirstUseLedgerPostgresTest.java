package io.simanchor.support.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.OutboxWriter;
import io.simanchor.support.testing.EmbeddedPostgresServer;

/**
 * The ledger's one statement per batch on a real PostgreSQL: which values are new, which events are
 * written, in which order, and what a value queued twice gets.
 */
class FirstUseLedgerPostgresTest {

    private static EmbeddedPostgresServer postgres;
    private static PGSimpleDataSource dataSource;
    private static Jdbc jdbc;

    private FirstUseLedger<String> ledger;

    @BeforeAll
    static void startPostgres() throws SQLException {
        postgres = EmbeddedPostgresServer.start();
        dataSource = postgres.dataSource();
        jdbc = new Jdbc(dataSource);
        jdbc.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("create table used_value (value_id bytea primary key, "
                        + "expires_at timestamptz not null)");
                statement.execute("create table outbox (id bigint generated always as identity primary key, "
                        + "event_id uuid not null unique, topic text not null, record_key text not null, "
                        + "event_type text not null, payload text not null, occurred_at timestamptz not null, "
                        + "published_at timestamptz)");
            }
            return null;
        });
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void emptyTablesAndStart() {
        jdbc.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("truncate used_value, outbox");
            }
            return null;
        });
        ledger = newLedger(jdbc);
        ledger.start();
    }

    private static FirstUseLedger<String> newLedger(Jdbc database) {
        return newLedger(database, Duration.ofSeconds(5));
    }

    /** Payloads starting with "quiet" publish nothing, the others an event carrying the payload. */
    private static FirstUseLedger<String> newLedger(Jdbc database, Duration answerWithin) {
        return new FirstUseLedger<>("test-ledger", database, new OutboxWriter(new ObjectMapper(), new OutboxSignal()),
                "used_value", "value_id", 100,
                payload -> payload.startsWith("quiet")
                        ? Optional.empty()
                        : Optional.of(new OutboxEvent("test-topic", "device-" + payload, "test.event.v1",
                                List.of(payload), Instant.parse("2026-12-02T10:15:30.123456Z"))),
                answerWithin);
    }

    @AfterEach
    void stopLedger() throws InterruptedException {
        ledger.close();
    }

    @Test
    void a_new_value_is_recorded_with_its_event_and_its_expiry() throws Exception {
        Instant expiresAt = Instant.parse("2026-12-02T10:20:30.654321Z");

        assertThat(ledger.recordFirstUse(id("a"), expiresAt, "a")).isTrue();

        assertThat(stored("select expires_at from used_value", rows -> rows.getTimestamp(1).toInstant()))
                .containsExactly(expiresAt);
        assertThat(stored("select topic, record_key, event_type, payload, occurred_at from outbox",
                rows -> rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
                        + rows.getString(4) + " " + rows.getTimestamp(5).toInstant()))
                .containsExactly("test-topic device-a test.event.v1 [\"a\"] 2026-12-02T10:15:30.123456Z");
        assertThat(stored("select event_id::text from outbox", rows -> rows.getString(1)))
                .allMatch(uuid -> uuid.charAt(14) == '4', "a version 4 UUID");
    }

    @Test
    void a_value_recorded_before_is_not_new_and_publishes_nothing_again() {
        Instant expiresAt = Instant.now().plus(5, ChronoUnit.MINUTES);
        assertThat(ledger.recordFirstUse(id("b"), expiresAt, "b")).isTrue();

        assertThat(ledger.recordFirstUse(id("b"), expiresAt, "b replayed")).isFalse();

        assertThat(stored("select payload from outbox", rows -> rows.getString(1))).containsExactly("[\"b\"]");
    }

    @Test
    void a_ledger_without_events_records_values_once_and_writes_no_event() throws Exception {
        FirstUseLedger<Void> valuesOnly = FirstUseLedger.withoutEvents("values-only", jdbc, "used_value", "value_id",
                100);
        valuesOnly.start();
        try {
            Instant expiresAt = Instant.now().plus(5, ChronoUnit.MINUTES);

            assertThat(valuesOnly.record(id("v"), expiresAt, null).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(valuesOnly.recordFirstUse(id("v"), expiresAt, null)).isFalse();
            // Across ledgers too: the primary key decides, as it does between instances.
            assertThat(ledger.recordFirstUse(id("v"), expiresAt, "v")).isFalse();

            assertThat(stored("select count(*) from used_value", rows -> rows.getLong(1))).containsExactly(1L);
            assertThat(stored("select count(*) from outbox", rows -> rows.getLong(1))).containsExactly(0L);
        } finally {
            valuesOnly.close();
        }
    }

    @Test
    void a_value_queued_many_times_in_one_batch_is_new_only_for_its_first_caller() throws Exception {
        // The writer is held in its first batch ("x" alone), so every copy of "c" queued meanwhile goes
        // to the database together, in the next batch.
        CountDownLatch writerArrived = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        DataSource held = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection")) {
                        writerArrived.countDown();
                        open.await();
                    }
                    return method.invoke(dataSource, arguments);
                });
        ledger.close();
        ledger = newLedger(new Jdbc(held));
        ledger.start();
        Instant expiresAt = Instant.now().plus(5, ChronoUnit.MINUTES);
        CompletableFuture<Boolean> first = ledger.record(id("x"), expiresAt, "x").toCompletableFuture();
        assertThat(writerArrived.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Boolean>> copies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            copies.add(ledger.record(id("c"), expiresAt, "c" + i).toCompletableFuture());
        }

        open.countDown();

        assertThat(first.join()).isTrue();
        assertThat(copies.get(0).join()).isTrue();
        assertThat(copies.subList(1, copies.size())).allMatch(result -> !result.join());
        assertThat(stored("select payload from outbox order by id", rows -> rows.getString(1)))
                .containsExactly("[\"x\"]", "[\"c0\"]");
    }

    @Test
    void events_are_written_in_the_order_their_values_were_queued_and_only_for_new_values() {
        Instant expiresAt = Instant.now().plus(5, ChronoUnit.MINUTES);
        assertThat(ledger.recordFirstUse(id("v3"), expiresAt, "v3")).isTrue();
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String value = "v" + i;
            results.add(ledger.record(id(value), expiresAt, i % 10 == 5 ? "quiet" + i : value).toCompletableFuture());
        }

        List<String> expected = new ArrayList<>();
        expected.add("[\"v3\"]");
        for (int i = 0; i < 300; i++) {
            assertThat(results.get(i).join()).as("v" + i).isEqualTo(i != 3);
            if (i != 3 && i % 10 != 5) {
                expected.add("[\"v" + i + "\"]");
            }
        }
        assertThat(stored("select payload from outbox order by id", rows -> rows.getString(1)))
                .containsExactlyElementsOf(expected);
        assertThat(stored("select count(*) from used_value", rows -> rows.getLong(1))).containsExactly(300L);
    }

    @Test
    void a_write_the_database_holds_up_fails_at_the_statement_timeout_records_nothing_and_the_writer_goes_on()
            throws Exception {
        // The services' connections carry a statement_timeout (platform-support's
        // microprofile-config.properties); a table lock stands in for a database that stops answering. The
        // ledger's own deadline is far away, so only the database's timeout can end the wait in time.
        PGSimpleDataSource timingOut = postgres.dataSource();
        timingOut.setOptions("-c statement_timeout=1s");
        ledger.close();
        ledger = newLedger(new Jdbc(timingOut), Duration.ofMinutes(2));
        ledger.start();
        Instant expiresAt = Instant.now().plus(5, ChronoUnit.MINUTES);

        try (Connection locker = dataSource.getConnection(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("lock table used_value in access exclusive mode");
            CompletableFuture<Boolean> held = ledger.record(id("d"), expiresAt, "d").toCompletableFuture();

            assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PersistenceException.class);
            locker.rollback();
        }

        assertThat(ledger.recordFirstUse(id("d"), expiresAt, "d again")).isTrue();
        assertThat(stored("select payload from outbox", rows -> rows.getString(1))).containsExactly("[\"d again\"]");
    }

    private static byte[] id(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private interface Column<T> {

        T read(ResultSet rows) throws SQLException;
    }

    private static <T> List<T> stored(String query, Column<T> column) {
        return jdbc.read(connection -> select(connection, query, column));
    }

    private static <T> List<T> select(Connection connection, String query, Column<T> column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
                ResultSet rows = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(column.read(rows));
            }
            return values;
        }
    }
}
