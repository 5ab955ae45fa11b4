package io.simanchor.identity.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.identity.infra.persistence.Housekeeping;

/** Expired challenges and old published outbox rows go; everything still needed stays. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Test
    void removes_long_expired_challenges_and_long_published_events_only() throws SQLException {
        Instant now = clock.instant(); // the service's clock, which other tests may have moved
        UUID expiredLongAgo = challenge(now.minus(Duration.ofDays(2)));
        UUID expiredRecently = challenge(now.minus(Duration.ofMinutes(5)));
        UUID valid = challenge(now.plus(Duration.ofMinutes(1)));
        UUID publishedLongAgo = outboxRow(now.minus(Duration.ofDays(8)));
        UUID publishedRecently = outboxRow(now.minus(Duration.ofHours(1)));
        UUID unpublished = outboxRow(null);

        housekeeping.runOnce();

        assertThat(exists("challenge", "id", expiredLongAgo)).isFalse();
        assertThat(exists("challenge", "id", expiredRecently)).isTrue();
        assertThat(exists("challenge", "id", valid)).isTrue();
        assertThat(exists("outbox", "event_id", publishedLongAgo)).isFalse();
        assertThat(exists("outbox", "event_id", publishedRecently)).isTrue();
        assertThat(exists("outbox", "event_id", unpublished)).isTrue();
    }

    private UUID challenge(Instant expiresAt) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into challenge "
                        + "(id, purpose, subject_id, nonce_hash, expires_at) values (?, 'ENROLLMENT', '0', ?, ?)")) {
            insert.setObject(1, id);
            insert.setBytes(2, new byte[32]);
            insert.setTimestamp(3, Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
        return id;
    }

    private UUID outboxRow(Instant publishedAt) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into outbox (event_id, topic, "
                        + "record_key, event_type, payload, occurred_at, published_at) "
                        + "values (?, 'housekeeping-test', 'k', 't', '{}', now(), ?)")) {
            insert.setObject(1, id);
            insert.setTimestamp(2, publishedAt == null ? null : Timestamp.from(publishedAt));
            insert.executeUpdate();
        }
        return id;
    }

    private boolean exists(String table, String column, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("select 1 from " + table + " where " + column + " = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
