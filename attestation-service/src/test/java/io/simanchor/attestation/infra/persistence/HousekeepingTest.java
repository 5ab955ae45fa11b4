package io.simanchor.attestation.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
import io.simanchor.support.persistence.FirstUseLedger;

/**
 * Consumed nonces are forgotten only well after they expired: an appraisal checks the nonce's expiry before
 * it waits for the nonce to be recorded, so a record deleted the moment it expired could let a copy of the
 * evidence, checked just before, count as a first use.
 */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Test
    void a_consumed_nonce_is_kept_until_a_while_after_it_expired() throws SQLException {
        Instant now = clock.instant();
        byte[] expiredLongAgo = consumedNonce(now.minus(FirstUseLedger.FORGET_AFTER).minus(Duration.ofMinutes(1)));
        byte[] expiredJustNow = consumedNonce(now.minus(Duration.ofSeconds(5)));
        byte[] valid = consumedNonce(now.plus(Duration.ofMinutes(1)));

        housekeeping.runOnce();

        assertThat(exists(expiredLongAgo)).isFalse();
        assertThat(exists(expiredJustNow)).isTrue();
        assertThat(exists(valid)).isTrue();
    }

    private byte[] consumedNonce(Instant expiresAt) throws SQLException {
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection
                        .prepareStatement("insert into consumed_nonce (nonce_id, expires_at) values (?, ?)")) {
            insert.setBytes(1, id);
            insert.setTimestamp(2, Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
        return id;
    }

    private boolean exists(byte[] id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("select 1 from consumed_nonce where nonce_id = ?")) {
            select.setBytes(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }
}
