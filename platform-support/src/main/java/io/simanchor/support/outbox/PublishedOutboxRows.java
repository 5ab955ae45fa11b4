package io.simanchor.support.outbox;

import java.time.Instant;

import io.simanchor.support.persistence.Jdbc;

/** Removal of outbox rows the relay published long enough ago (every service's housekeeping). */
public final class PublishedOutboxRows {

    private static final int CHUNK = 10_000;

    private PublishedOutboxRows() {
    }

    /** Deletes rows published before {@code before}, in chunks; returns how many. */
    public static int removePublishedBefore(Jdbc jdbc, Instant before) {
        return jdbc.deleteInChunks("delete from outbox where id in (select id from outbox "
                + "where published_at is not null and published_at < ? limit " + CHUNK + ")", before, CHUNK);
    }
}
