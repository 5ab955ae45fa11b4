package io.simanchor.identity.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
import io.simanchor.support.testing.TableRows;

/** Records of long-expired challenges and old published outbox rows go; everything still needed stays. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Test
    void removes_records_of_long_expired_challenges_and_long_published_events_only() throws SQLException {
        Instant now = clock.instant(); // the service's clock, which other tests may have moved
        byte[] expiredLongAgo = usedChallenge(now.minus(Duration.ofHours(1)));
        byte[] expiredRecently = usedChallenge(now.minus(Duration.ofMinutes(5)));
        byte[] valid = usedChallenge(now.plus(Duration.ofMinutes(1)));
        UUID publishedLongAgo = outboxRow(now.minus(Duration.ofDays(8)));
        UUID publishedRecently = outboxRow(now.minus(Duration.ofHours(1)));
        UUID unpublished = outboxRow(null);

        housekeeping.runOnce();

        assertThat(exists("used_challenge", "serial", expiredLongAgo)).isFalse();
        assertThat(exists("used_challenge", "serial", expiredRecently)).isTrue();
        assertThat(exists("used_challenge", "serial", valid)).isTrue();
        assertThat(exists("outbox", "event_id", publishedLongAgo)).isFalse();
        assertThat(exists("outbox", "event_id", publishedRecently)).isTrue();
        assertThat(exists("outbox", "event_id", unpublished)).isTrue();
    }

    private byte[] usedChallenge(Instant expiresAt) throws SQLException {
        return new TableRows(dataSource).insertSingleUse("used_challenge", "serial", expiresAt);
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

    private boolean exists(String table, String column, Object id) throws SQLException {
        return new TableRows(dataSource).exists(table, column, id);
    }
}
