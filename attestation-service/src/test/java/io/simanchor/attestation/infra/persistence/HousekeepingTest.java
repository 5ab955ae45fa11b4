package io.simanchor.attestation.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.support.persistence.FirstUseLedger;
import io.simanchor.support.testing.TableRows;

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
        return new TableRows(dataSource).insertSingleUse("consumed_nonce", "nonce_id", expiresAt);
    }

    private boolean exists(byte[] id) throws SQLException {
        return new TableRows(dataSource).exists("consumed_nonce", "nonce_id", id);
    }
}
