package io.simanchor.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Appends events to the transactional outbox within the caller's transaction. {@link KafkaOutboxRelay}
 * publishes them afterwards, so an event exists if and only if its change committed.
 *
 * <p>
 * However many events there are, they go in as one statement whose rows come from arrays
 * ({@code unnest}), in the order given: one message to PostgreSQL, where a JDBC batch costs a bind and an
 * execute per row on the writing thread. Event ids are version 4 UUIDs drawn by PostgreSQL
 * ({@code gen_random_uuid()}, from its strong random source), or by the caller for a write it may try again
 * ({@link #appendAllOnce}).
 */
public final class OutboxWriter {

    private static final String COLUMNS = "topic, record_key, event_type, payload, occurred_at";
    /** One array per column, each with one element per event; the times as ISO-8601 text. */
    private static final String ARRAYS = "?::text[], ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[]";
    private static final String INSERT = "insert into outbox (event_id, " + COLUMNS + ") select gen_random_uuid(), "
            + COLUMNS + " from unnest(" + ARRAYS + ") with ordinality as event(" + COLUMNS + ", position) "
            + "order by position";

    private static final String INSERT_ONCE = "insert into outbox (event_id, " + COLUMNS + ") select event_id, "
            + COLUMNS + " from unnest(?::uuid[], " + ARRAYS + ") with ordinality as event(event_id, " + COLUMNS
            + ", position) order by position on conflict (event_id) do nothing";

    private final ObjectMapper json;
    private final OutboxSignal signal;

    public OutboxWriter(ObjectMapper json, OutboxSignal signal) {
        this.json = json;
        this.signal = signal;
    }

    /** Appends {@code event} on {@code connection}; it becomes visible to the relay with the commit. */
    public void append(Connection connection, OutboxEvent event) throws SQLException {
        appendAll(connection, List.of(event));
    }

    /** Appends several events, in this order, with one statement. */
    public void appendAll(Connection connection, Iterable<OutboxEvent> events) throws SQLException {
        List<OutboxEvent> rows = new ArrayList<>();
        events.forEach(rows::add);
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bindEvents(insert, 1, rows);
            insert.executeUpdate();
        }
    }

    /**
     * Appends events under ids the caller drew once ({@link #newEventIds}), in this order, with one statement
     * that skips any id the outbox already holds: a write tried again after a commit whose answer never came
     * adds nothing twice, and the relay publishes each event once under its id ({@code ce_id}).
     */
    public void appendAllOnce(Connection connection, List<UUID> eventIds, List<OutboxEvent> events)
            throws SQLException {
        if (eventIds.size() != events.size()) {
            throw new IllegalArgumentException("one id per event");
        }
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ONCE)) {
            insert.setArray(1, connection.createArrayOf("uuid", eventIds.toArray(UUID[]::new)));
            bindEvents(insert, 2, events);
            insert.executeUpdate();
        }
    }

    /** Random (version 4) ids for {@code count} events, for {@link #appendAllOnce}. */
    public static List<UUID> newEventIds(int count) {
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    /**
     * A data-modifying statement, for use in a {@code with} clause, that appends those of the events bound
     * by {@link #bindOwnedEvents} whose owner (a {@code bytea} each event is bound with) is among the
     * values {@code ownersQuery} selects, in the order bound. It lets a caller append the events of the
     * rows its own statement inserted, in that same statement.
     */
    public static String insertOwnedEvents(String ownersQuery) {
        return "insert into outbox (event_id, " + COLUMNS + ") select gen_random_uuid(), " + COLUMNS
                + " from unnest(?::bytea[], " + ARRAYS + ") with ordinality as event(owner, " + COLUMNS
                + ", position) where owner in (" + ownersQuery + ") order by position";
    }

    /**
     * Binds the parameters of {@link #insertOwnedEvents} from {@code first} on.
     *
     * @param owners the owner of each event, in the same order
     * @return the index of the next parameter
     */
    public int bindOwnedEvents(PreparedStatement statement, int first, List<byte[]> owners, List<OutboxEvent> events)
            throws SQLException {
        if (owners.size() != events.size()) {
            throw new IllegalArgumentException("one owner per event");
        }
        statement.setArray(first, statement.getConnection().createArrayOf("bytea", owners.toArray(byte[][]::new)));
        return bindEvents(statement, first + 1, events);
    }

    /** Tells the relay there is something to publish; call after the commit. */
    public void committed() {
        signal.wakeUp();
    }

    private int bindEvents(PreparedStatement statement, int first, List<OutboxEvent> events) throws SQLException {
        int count = events.size();
        String[] topics = new String[count];
        String[] keys = new String[count];
        String[] types = new String[count];
        String[] payloads = new String[count];
        String[] times = new String[count];
        for (int i = 0; i < count; i++) {
            OutboxEvent event = events.get(i);
            topics[i] = storable(event.topic());
            keys[i] = storable(event.key());
            types[i] = storable(event.type());
            payloads[i] = payloadJson(event);
            times[i] = event.occurredAt().toString();
        }
        Connection connection = statement.getConnection();
        int next = first;
        for (String[] column : List.of(topics, keys, types, payloads, times)) {
            statement.setArray(next++, connection.createArrayOf("text", column));
        }
        return next;
    }

    /**
     * PostgreSQL's text cannot hold U+0000 and refuses the whole statement, every event of it, if one value
     * does. A record key can come from a claim a client sent before anything checked it (a refused request's
     * device id), so a NUL there is replaced by U+FFFD instead of costing other decisions their events.
     * Payloads need nothing: JSON escapes it.
     */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** The event's payload as stored and published: the same JSON whichever way it reaches Kafka. */
    String payloadJson(OutboxEvent event) {
        try {
            return json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event record not serialisable: " + event.type(), e);
        }
    }
}
