package io.simanchor.identity.infra.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.identity.domain.Challenge;
import io.simanchor.identity.domain.ChallengeStore;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link ChallengeStore} on PostgreSQL: one row per used challenge, keyed by its random serial. The
 * conditional insert decides which request used a challenge first, however many instances race for it.
 */
@ApplicationScoped
public class PgChallengeStore implements ChallengeStore {

    private final Jdbc jdbc;

    PgChallengeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean consume(Challenge challenge) {
        return jdbc.read(connection -> record(connection, challenge));
    }

    @Override
    public boolean wasConsumed(Challenge challenge) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select 1 from used_challenge where serial = ?")) {
                select.setBytes(1, challenge.serial());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /** Records {@code challenge} as used on {@code connection}; false when it already was. */
    static boolean record(Connection connection, Challenge challenge) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into used_challenge (serial, expires_at) values (?, ?) on conflict do nothing")) {
            insert.setBytes(1, challenge.serial());
            insert.setTimestamp(2, Timestamp.from(challenge.expiresAt()));
            return insert.executeUpdate() == 1;
        }
    }
}
