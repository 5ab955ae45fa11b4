package io.simanchor.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.support.testing.EmbeddedPostgresServer;

/**
 * The outbox rows are bound as text arrays: whatever an event carries must come back exactly, including
 * what an array literal treats specially.
 */
class OutboxWriterPostgresTest {

    @Test
    void events_come_back_exactly_and_in_order_whatever_they_contain() throws Exception {
        String awkward = "a\"b\\c{d},e NULL 'f' \u00fc\u20ac\ud83d\ude00 \t\n";
        List<OutboxEvent> events = List.of(
                new OutboxEvent("topic-1", "NULL", "type.v1", Map.of("text", awkward),
                        Instant.parse("2026-12-02T10:15:30.123456Z")),
                new OutboxEvent("topic-2", "", "type.v1", List.of(), Instant.parse("2026-12-02T10:15:31Z")),
                new OutboxEvent("topic-3", awkward, "type.v1", "NULL", Instant.parse("1999-12-31T23:59:59.999999Z")));
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
                Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                        postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create table outbox (id bigint generated always as identity primary key, "
                    + "event_id uuid not null unique, topic text not null, record_key text not null, "
                    + "event_type text not null, payload text not null, occurred_at timestamptz not null, "
                    + "published_at timestamptz)");
            OutboxWriter writer = new OutboxWriter(new ObjectMapper(), new OutboxSignal());

            writer.appendAll(connection, events);
            writer.appendAll(connection, List.of());

            List<String> stored = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "select topic, record_key, payload, occurred_at from outbox order by id")) {
                while (rows.next()) {
                    stored.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3) + "|"
                            + rows.getTimestamp(4).toInstant());
                }
            }
            ObjectMapper json = new ObjectMapper();
            assertThat(stored).containsExactly(
                    "topic-1|NULL|" + json.writeValueAsString(Map.of("text", awkward)) + "|2026-12-02T10:15:30.123456Z",
                    "topic-2||[]|2026-12-02T10:15:31Z",
                    "topic-3|" + awkward + "|\"NULL\"|1999-12-31T23:59:59.999999Z");
        }
    }
}
