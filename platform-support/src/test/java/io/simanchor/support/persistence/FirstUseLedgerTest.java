package io.simanchor.support.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.outbox.OutboxSignal;
import io.simanchor.support.outbox.OutboxWriter;

/**
 * The ledger's bounds on waiting, which protect callers that do not block (event loops): on the work queued
 * and on the time a caller waits.
 */
class FirstUseLedgerTest {

    private static final OutboxWriter OUTBOX = new OutboxWriter(new ObjectMapper(), new OutboxSignal());

    @Test
    void past_the_backlog_bound_a_value_is_refused_at_once_as_unrecordable() throws Exception {
        StalledDatabase database = new StalledDatabase();
        FirstUseLedger<String> ledger = startedOn(database, 100, Duration.ofMinutes(10));
        try {
            List<CompletionStage<Boolean>> waiting = new ArrayList<>();
            waiting.add(ledger.record(new byte[]{0}, Instant.now(), "first"));
            assertThat(database.writerArrived.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < FirstUseLedger.MAX_PENDING; i++) {
                waiting.add(ledger.record(new byte[]{1}, Instant.now(), "queued"));
            }

            CompletionStage<Boolean> refused = ledger.record(new byte[]{2}, Instant.now(), "one too many");

            assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
            Throwable failure = refused.toCompletableFuture().handle((ok, thrown) -> thrown).join();
            assertThat(failure instanceof CompletionException wrapped ? wrapped.getCause() : failure)
                    .isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("backlog full");
            assertThat(waiting).noneMatch(stage -> stage.toCompletableFuture().isDone());
        } finally {
            database.releaseAll();
            ledger.close();
        }
    }

    @Test
    void a_database_that_does_not_answer_gets_its_callers_refused_at_the_deadline() throws Exception {
        StalledDatabase database = new StalledDatabase();
        FirstUseLedger<String> ledger = startedOn(database, 1, Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            CompletionStage<Boolean> writing = ledger.record(new byte[]{0}, Instant.now(), "in the stuck batch");
            assertThat(database.writerArrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletionStage<Boolean> queued = ledger.record(new byte[]{1}, Instant.now(), "queued behind it");

            for (CompletionStage<Boolean> stage : List.of(writing, queued)) {
                Throwable failure = stage.toCompletableFuture()
                        .handle((ok, thrown) -> thrown)
                        .get(10, TimeUnit.SECONDS);
                assertThat(failure instanceof CompletionException wrapped ? wrapped.getCause() : failure)
                        .isInstanceOf(PersistenceException.class)
                        .hasMessageContaining("did not record the value within 300 ms");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThatThrownBy(() -> ledger.recordFirstUse(new byte[]{2}, Instant.now(), "blocking caller"))
                    .isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("did not record");
        } finally {
            database.releaseAll();
            ledger.close();
        }
    }

    @Test
    void the_deadline_counts_from_when_a_value_was_queued_not_from_when_its_batch_began() throws Exception {
        StalledDatabase database = new StalledDatabase();
        Duration deadline = Duration.ofSeconds(2);
        FirstUseLedger<String> ledger = startedOn(database, 1, deadline);
        try {
            CompletionStage<Boolean> first = ledger.record(new byte[]{0}, Instant.now(), "in the first batch");
            assertThat(database.writerArrived.await(10, TimeUnit.SECONDS)).isTrue();
            long queued = System.nanoTime();
            CompletionStage<Boolean> second = ledger.record(new byte[]{1}, Instant.now(), "queued, then stuck");
            // The first batch fails shortly before the second value's deadline; the writer then takes the
            // second value into a batch of its own, which hangs.
            Thread.sleep(deadline.multipliedBy(8).dividedBy(10).toMillis());
            database.release.countDown();
            assertThat(first.toCompletableFuture().handle((ok, thrown) -> thrown).get(10, TimeUnit.SECONDS))
                    .isNotNull();

            second.toCompletableFuture().handle((ok, thrown) -> thrown).get(10, TimeUnit.SECONDS);

            // About the deadline after it was queued (plus a sweep period), not a deadline after its batch began
            // (1.8 times the deadline at least).
            assertThat(Duration.ofNanos(System.nanoTime() - queued))
                    .isLessThan(deadline.multipliedBy(16).dividedBy(10));
        } finally {
            database.releaseAll();
            ledger.close();
        }
    }

    @Test
    void a_ledger_that_is_not_running_is_unavailable_not_broken() {
        FirstUseLedger<String> ledger = new FirstUseLedger<>("test-ledger", new Jdbc(new StalledDatabase()), OUTBOX,
                "used_value", "value_id", 100, payload -> Optional.empty());

        assertThatThrownBy(() -> ledger.recordFirstUse(new byte[]{0}, Instant.now(), "before start"))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("not running");
    }

    private static FirstUseLedger<String> startedOn(StalledDatabase database, int maxBatch, Duration deadline) {
        FirstUseLedger<String> ledger = new FirstUseLedger<>("test-ledger", new Jdbc(database), OUTBOX, "used_value",
                "value_id", maxBatch, payload -> Optional.empty(), deadline);
        ledger.start();
        return ledger;
    }

    /**
     * A database whose first connection never comes until released, the others not until the rest is
     * released: the writer is stuck in its batch.
     */
    private static final class StalledDatabase implements DataSource {

        final CountDownLatch writerArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch releaseTheRest = new CountDownLatch(1);
        private final AtomicInteger connections = new AtomicInteger();

        void releaseAll() {
            release.countDown();
            releaseTheRest.countDown();
        }

        @Override
        public Connection getConnection() throws SQLException {
            writerArrived.countDown();
            try {
                (connections.getAndIncrement() == 0 ? release : releaseTheRest).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLException("stalled database released", "08006");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
